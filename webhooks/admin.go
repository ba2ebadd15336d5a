package webhooks

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/callscribe/callscribe/webhooks/signature"
)

// AdminHandler returns the admin API. It serves full paths, so mount it as
// mux.Handle("/v1/webhooks/", d.AdminHandler()), behind the service's
// authentication:
//
//	POST   /v1/webhooks/endpoints                  create; 201 with the secret
//	GET    /v1/webhooks/endpoints                  list (secrets omitted)
//	DELETE /v1/webhooks/endpoints/{id}             delete with its deliveries
//	POST   /v1/webhooks/endpoints/{id}/enable      re-enable after a 410
//	GET    /v1/webhooks/deliveries?call_id=&status=&endpoint_id=&after=&limit=
//	GET    /v1/webhooks/deliveries/{id}/attempts   attempts with status, error, timing
//	POST   /v1/webhooks/deliveries/{id}/retry      replay one delivery now
//	POST   /v1/webhooks/calls/{call_id}/retry      replay a call's deliveries (?status=&endpoint_id=)
//	GET    /v1/webhooks/metrics                    counters
//
// Errors are JSON {"error": "..."} with 400, 404, 409 or 500.
func (d *Dispatcher) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/webhooks/endpoints", d.handleCreateEndpoint)
	mux.HandleFunc("GET /v1/webhooks/endpoints", d.handleListEndpoints)
	mux.HandleFunc("DELETE /v1/webhooks/endpoints/{id}", d.handleDeleteEndpoint)
	mux.HandleFunc("POST /v1/webhooks/endpoints/{id}/enable", d.handleEnableEndpoint)
	mux.HandleFunc("GET /v1/webhooks/deliveries", d.handleListDeliveries)
	mux.HandleFunc("GET /v1/webhooks/deliveries/{id}/attempts", d.handleAttempts)
	mux.HandleFunc("POST /v1/webhooks/deliveries/{id}/retry", d.handleRetryDelivery)
	mux.HandleFunc("POST /v1/webhooks/calls/{call_id}/retry", d.handleRetryCall)
	mux.HandleFunc("GET /v1/webhooks/metrics", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, d.metrics.Snapshot())
	})
	return mux
}

// endpointRequest is the body of POST /v1/webhooks/endpoints.
type endpointRequest struct {
	URL         string   `json:"url"`
	Events      []string `json:"events"`
	Description string   `json:"description"`
	// Secret is optional; one is generated when empty.
	Secret string `json:"secret"`
}

// createdEndpoint is the answer to a create: the only time the secret is
// shown.
type createdEndpoint struct {
	Endpoint
	Secret string `json:"secret"`
}

func (d *Dispatcher) handleCreateEndpoint(w http.ResponseWriter, r *http.Request) {
	var req endpointRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, d.log, err)
		return
	}
	e, err := d.createEndpoint(r.Context(), req)
	if err != nil {
		writeError(w, d.log, err)
		return
	}
	d.log.Info("webhooks: endpoint created", "endpoint", e.ID, "url", e.URL, "events", e.Events)
	writeJSON(w, http.StatusCreated, createdEndpoint{Endpoint: e, Secret: e.Secrets[0]})
}

// createEndpoint validates and stores a new endpoint.
func (d *Dispatcher) createEndpoint(ctx context.Context, req endpointRequest) (Endpoint, error) {
	e := Endpoint{ID: newID("ep_"), URL: req.URL, Events: req.Events, Description: req.Description, CreatedAt: d.clock.Now()}
	if len(e.Events) == 0 {
		e.Events = slices.Clone(DefaultEvents)
	}
	if req.Secret == "" {
		s, err := signature.NewSecret()
		if err != nil {
			return Endpoint{}, err
		}
		req.Secret = s.String()
	}
	e.Secrets = []string{req.Secret}
	if err := e.validate(); err != nil {
		return Endpoint{}, err
	}
	if u, _ := parseEndpointURL(e.URL); pointsAtSelf(u, d.cfg.SelfAddrs) {
		return Endpoint{}, fmt.Errorf("%w: %s", ErrSelfAddress, e.URL)
	}
	if err := d.store.PutEndpoint(ctx, e); err != nil {
		return Endpoint{}, fmt.Errorf("webhooks: storing endpoint: %w", err)
	}
	return e, nil
}

func (d *Dispatcher) handleListEndpoints(w http.ResponseWriter, r *http.Request) {
	eps, err := d.store.Endpoints(r.Context())
	if err != nil {
		writeError(w, d.log, err)
		return
	}
	if eps == nil {
		eps = []Endpoint{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"endpoints": eps})
}

func (d *Dispatcher) handleDeleteEndpoint(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	e, err := d.endpoint(r.Context(), id)
	if err == nil && e.Static {
		err = fmt.Errorf("%w: %s", ErrStaticEndpoint, id)
	}
	if err == nil {
		err = d.store.DeleteEndpoint(r.Context(), id)
	}
	if err != nil {
		writeError(w, d.log, err)
		return
	}
	d.log.Info("webhooks: endpoint deleted", "endpoint", id)
	w.WriteHeader(http.StatusNoContent)
}

func (d *Dispatcher) handleEnableEndpoint(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := d.store.SetEndpointDisabled(r.Context(), id, false, ""); err != nil {
		writeError(w, d.log, err)
		return
	}
	d.log.Info("webhooks: endpoint enabled", "endpoint", id)
	d.poke()
	e, err := d.endpoint(r.Context(), id)
	if err != nil {
		writeError(w, d.log, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// endpoint finds one endpoint by id.
func (d *Dispatcher) endpoint(ctx context.Context, id string) (Endpoint, error) {
	eps, err := d.store.Endpoints(ctx)
	if err != nil {
		return Endpoint{}, err
	}
	for _, e := range eps {
		if e.ID == id {
			return e, nil
		}
	}
	return Endpoint{}, fmt.Errorf("%w: endpoint %q", ErrNotFound, id)
}
