package webhooks

import (
	"fmt"
	"net/http"
	"strconv"
)

// maxListLimit bounds one page of deliveries.
const maxListLimit = 1000

func (d *Dispatcher) handleListDeliveries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	dq := DeliveryQuery{CallID: q.Get("call_id"), EndpointID: q.Get("endpoint_id"), Status: Status(q.Get("status"))}
	var err error
	if dq.Status != "" && !dq.Status.Valid() {
		err = fmt.Errorf("%w: status must be pending, delivered or dead", errBadRequest)
	}
	if err == nil {
		dq.AfterID, err = intParam(q.Get("after"), 0, 1<<62)
	}
	if err == nil {
		var limit int64
		limit, err = intParam(q.Get("limit"), 1, maxListLimit)
		dq.Limit = int(limit)
	}
	var ds []Delivery
	if err == nil {
		ds, err = d.store.Deliveries(r.Context(), dq)
	}
	if err != nil {
		writeError(w, d.log, err)
		return
	}
	if ds == nil {
		ds = []Delivery{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": ds})
}

func (d *Dispatcher) handleAttempts(w http.ResponseWriter, r *http.Request) {
	id, err := d.deliveryID(r)
	var as []Attempt
	if err == nil {
		as, err = d.store.Attempts(r.Context(), id)
	}
	if err != nil {
		writeError(w, d.log, err)
		return
	}
	if as == nil {
		as = []Attempt{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"delivery_id": id, "attempts": as})
}

func (d *Dispatcher) handleRetryDelivery(w http.ResponseWriter, r *http.Request) {
	id, err := d.deliveryID(r)
	n := 0
	if err == nil {
		n, err = d.store.Requeue(r.Context(), RequeueRequest{DeliveryID: id, Now: d.clock.Now()})
	}
	if err == nil && n == 0 {
		err = fmt.Errorf("%w: delivery %d", ErrInFlight, id)
	}
	if err != nil {
		writeError(w, d.log, err)
		return
	}
	d.log.Info("webhooks: delivery requeued", "delivery_id", id)
	d.poke()
	writeJSON(w, http.StatusAccepted, map[string]any{"requeued": n})
}

func (d *Dispatcher) handleRetryCall(w http.ResponseWriter, r *http.Request) {
	callID := r.PathValue("call_id")
	req := RequeueRequest{CallID: callID, EndpointID: r.URL.Query().Get("endpoint_id"), Now: d.clock.Now()}
	if s := Status(r.URL.Query().Get("status")); s != "" {
		if !s.Valid() {
			writeError(w, d.log, fmt.Errorf("%w: status must be pending, delivered or dead", errBadRequest))
			return
		}
		req.Statuses = []Status{s}
	}
	n, err := d.store.Requeue(r.Context(), req)
	if err != nil {
		writeError(w, d.log, err)
		return
	}
	d.log.Info("webhooks: call requeued", "call_id", callID, "endpoint", req.EndpointID, "deliveries", n)
	d.poke()
	writeJSON(w, http.StatusAccepted, map[string]any{"requeued": n})
}

// deliveryID parses the {id} path value and checks that the delivery
// exists.
func (d *Dispatcher) deliveryID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%w: delivery id %q", errBadRequest, r.PathValue("id"))
	}
	ds, err := d.store.Deliveries(r.Context(), DeliveryQuery{ID: id, Limit: 1})
	if err != nil {
		return 0, err
	}
	if len(ds) == 0 {
		return 0, fmt.Errorf("%w: delivery %d", ErrNotFound, id)
	}
	return id, nil
}

// intParam parses an optional integer query parameter within [lo, hi]; an
// empty value gives 0.
func intParam(v string, lo, hi int64) (int64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%w: %q must be an integer from %d to %d", errBadRequest, v, lo, hi)
	}
	return n, nil
}
