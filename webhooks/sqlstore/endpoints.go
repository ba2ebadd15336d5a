package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/callscribe/callscribe/webhooks"
)

// PutEndpoint implements webhooks.EndpointStore.
func (s *Store) PutEndpoint(ctx context.Context, e webhooks.Endpoint) error {
	secrets, err := json.Marshal(e.Secrets)
	if err != nil {
		return err
	}
	events, err := json.Marshal(e.Events)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, s.q(`INSERT INTO webhook_endpoints
		(id, url, secrets, events, description, static, disabled, disabled_reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET url = excluded.url, secrets = excluded.secrets,
			events = excluded.events, description = excluded.description, static = excluded.static,
			disabled = excluded.disabled, disabled_reason = excluded.disabled_reason,
			created_at = excluded.created_at`),
		e.ID, e.URL, string(secrets), string(events), e.Description, boolInt(e.Static), boolInt(e.Disabled), e.Reason, ms(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlstore: put endpoint %q: %w", e.ID, err)
	}
	return nil
}

// Endpoints implements webhooks.EndpointStore.
func (s *Store) Endpoints(ctx context.Context) ([]webhooks.Endpoint, error) {
	rows, err := s.db.Query(ctx, `SELECT id, url, secrets, events, description, static, disabled, disabled_reason, created_at
		FROM webhook_endpoints ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: endpoints: %w", err)
	}
	defer rows.Close()
	var out []webhooks.Endpoint
	for rows.Next() {
		var (
			e                webhooks.Endpoint
			secrets, events  string
			static, disabled int
			created          int64
		)
		if err := rows.Scan(&e.ID, &e.URL, &secrets, &events, &e.Description, &static, &disabled, &e.Reason, &created); err != nil {
			return nil, fmt.Errorf("sqlstore: endpoints: %w", err)
		}
		if err := json.Unmarshal([]byte(secrets), &e.Secrets); err != nil {
			return nil, fmt.Errorf("sqlstore: endpoint %q secrets: %w", e.ID, err)
		}
		if err := json.Unmarshal([]byte(events), &e.Events); err != nil {
			return nil, fmt.Errorf("sqlstore: endpoint %q events: %w", e.ID, err)
		}
		e.Static, e.Disabled, e.CreatedAt = static != 0, disabled != 0, fromMS(created)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: endpoints: %w", err)
	}
	return out, nil
}

// DeleteEndpoint implements webhooks.EndpointStore.
func (s *Store) DeleteEndpoint(ctx context.Context, id string) error {
	n, err := s.db.Exec(ctx, s.q(`DELETE FROM webhook_endpoints WHERE id = ?`), id)
	if err != nil {
		return fmt.Errorf("sqlstore: delete endpoint %q: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("%w: endpoint %q", webhooks.ErrNotFound, id)
	}
	return nil
}

// SetEndpointDisabled implements webhooks.EndpointStore.
func (s *Store) SetEndpointDisabled(ctx context.Context, id string, disabled bool, reason string) error {
	n, err := s.db.Exec(ctx, s.q(`UPDATE webhook_endpoints SET disabled = ?, disabled_reason = ? WHERE id = ?`),
		boolInt(disabled), reason, id)
	if err != nil {
		return fmt.Errorf("sqlstore: disable endpoint %q: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("%w: endpoint %q", webhooks.ErrNotFound, id)
	}
	return nil
}
