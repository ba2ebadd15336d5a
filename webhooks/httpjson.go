package webhooks

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
)

// maxRequestBody bounds admin API request bodies.
const maxRequestBody = 64 << 10

// apiError is the body of every error answer.
type apiError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers with the status that err's sentinel implies. Messages
// of unexpected errors are logged, not shown.
func writeError(w http.ResponseWriter, log *slog.Logger, err error) {
	code := http.StatusInternalServerError
	switch {
	case errors.Is(err, ErrNotFound):
		code = http.StatusNotFound
	case errors.Is(err, ErrInvalidEndpoint), errors.Is(err, ErrSelfAddress), errors.Is(err, errBadRequest):
		code = http.StatusBadRequest
	case errors.Is(err, ErrStaticEndpoint), errors.Is(err, ErrInFlight):
		code = http.StatusConflict
	}
	msg := err.Error()
	if code == http.StatusInternalServerError {
		log.Error("webhooks: admin request failed", "error", err)
		msg = "internal error"
	}
	writeJSON(w, code, apiError{Error: msg})
}

// errBadRequest marks malformed requests.
var errBadRequest = errors.New("bad request")

// decodeJSON reads a bounded JSON body into v, refusing unknown fields.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequestBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: body: %w", errBadRequest, err)
	}
	return nil
}
