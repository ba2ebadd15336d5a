package sqlstore

import "strings"

// schema returns the DDL statements, idempotent, for dialect d.
func schema(d Dialect) []string {
	stmts := []string{
		`CREATE TABLE IF NOT EXISTS webhook_endpoints (
			id TEXT PRIMARY KEY,
			url TEXT NOT NULL,
			secrets TEXT NOT NULL,
			events TEXT NOT NULL,
			description TEXT NOT NULL,
			static INTEGER NOT NULL,
			disabled INTEGER NOT NULL,
			disabled_reason TEXT NOT NULL,
			created_at BIGINT NOT NULL
		)`,
		`CREATE TABLE IF NOT EXISTS webhook_messages (
			id TEXT PRIMARY KEY,
			call_id TEXT NOT NULL,
			seq BIGINT NOT NULL,
			type TEXT NOT NULL,
			payload {{blob}} NOT NULL,
			created_at BIGINT NOT NULL
		)`,
		`CREATE TABLE IF NOT EXISTS webhook_deliveries (
			id {{identity}},
			message_id TEXT NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
			endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
			call_id TEXT NOT NULL,
			status TEXT NOT NULL,
			attempts INTEGER NOT NULL DEFAULT 0,
			tries INTEGER NOT NULL DEFAULT 0,
			base_at BIGINT NOT NULL,
			next_at BIGINT NOT NULL,
			lease_owner TEXT NOT NULL DEFAULT '',
			lease_until BIGINT NOT NULL DEFAULT 0,
			last_status INTEGER NOT NULL DEFAULT 0,
			last_error TEXT NOT NULL DEFAULT '',
			created_at BIGINT NOT NULL,
			updated_at BIGINT NOT NULL
		)`,
		// Claim: due rows of one endpoint, and the per-call order check.
		`CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (endpoint_id, status, next_at)`,
		`CREATE INDEX IF NOT EXISTS webhook_deliveries_order ON webhook_deliveries (endpoint_id, call_id, status, id)`,
		// Admin queries by call, retention, message clean-up.
		`CREATE INDEX IF NOT EXISTS webhook_deliveries_call ON webhook_deliveries (call_id, id)`,
		`CREATE INDEX IF NOT EXISTS webhook_deliveries_age ON webhook_deliveries (status, updated_at)`,
		`CREATE INDEX IF NOT EXISTS webhook_deliveries_message ON webhook_deliveries (message_id)`,
		`CREATE TABLE IF NOT EXISTS webhook_attempts (
			delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
			n INTEGER NOT NULL,
			started_at BIGINT NOT NULL,
			duration_ms BIGINT NOT NULL,
			status_code INTEGER NOT NULL,
			error TEXT NOT NULL,
			response TEXT NOT NULL,
			PRIMARY KEY (delivery_id, n)
		)`,
		`CREATE TABLE IF NOT EXISTS transcript_calls (
			call_id TEXT PRIMARY KEY,
			updated_at BIGINT NOT NULL,
			ended_at BIGINT NOT NULL
		)`,
		`CREATE TABLE IF NOT EXISTS transcript_utterances (
			call_id TEXT NOT NULL REFERENCES transcript_calls (call_id) ON DELETE CASCADE,
			track TEXT NOT NULL,
			utterance_id TEXT NOT NULL,
			start_sec DOUBLE PRECISION NOT NULL,
			data TEXT NOT NULL,
			PRIMARY KEY (call_id, track, utterance_id)
		)`,
		// The call hub's registry of open calls (call.Registry): which node
		// holds a call until when, and how far it got, so that the calls
		// of a node that died get their call.ended.
		`CREATE TABLE IF NOT EXISTS calls (
			call_id TEXT PRIMARY KEY,
			call_key TEXT NOT NULL,
			node TEXT NOT NULL,
			lease_until BIGINT NOT NULL,
			info TEXT NOT NULL,
			started_at BIGINT NOT NULL,
			last_seq BIGINT NOT NULL DEFAULT 0,
			media_sec DOUBLE PRECISION NOT NULL DEFAULT 0,
			claimed_at BIGINT NOT NULL DEFAULT 0,
			ended_at BIGINT NOT NULL DEFAULT 0
		)`,
		`CREATE INDEX IF NOT EXISTS calls_open ON calls (ended_at, lease_until)`,
		`CREATE INDEX IF NOT EXISTS calls_node ON calls (node, ended_at)`,
		`CREATE INDEX IF NOT EXISTS calls_key ON calls (call_key, ended_at)`,
		// The event log (EventLog): every call's events, partials included,
		// for the nodes that follow a call another node holds.
		`CREATE TABLE IF NOT EXISTS call_events (
			call_id TEXT NOT NULL,
			seq BIGINT NOT NULL,
			type TEXT NOT NULL,
			payload {{blob}} NOT NULL,
			created_at BIGINT NOT NULL,
			PRIMARY KEY (call_id, seq)
		)`,
		`CREATE INDEX IF NOT EXISTS call_events_age ON call_events (created_at)`,
		// API keys of package bridge/auth: a SHA-256 of the key, never the
		// key; scopes as a JSON list; times in ms, 0 for never.
		`CREATE TABLE IF NOT EXISTS auth_keys (
			id TEXT PRIMARY KEY,
			name TEXT NOT NULL,
			scopes TEXT NOT NULL,
			hash {{blob}} NOT NULL,
			created_at BIGINT NOT NULL,
			last_used_at BIGINT NOT NULL DEFAULT 0,
			revoked_at BIGINT NOT NULL DEFAULT 0
		)`,
		// Secrets the service generates once and every node shares: the
		// token signing secret.
		`CREATE TABLE IF NOT EXISTS auth_secrets (
			name TEXT PRIMARY KEY,
			value {{blob}} NOT NULL
		)`,
	}
	r := strings.NewReplacer("{{blob}}", d.BlobType, "{{identity}}", d.IdentityColumn)
	for i := range stmts {
		stmts[i] = r.Replace(stmts[i])
	}
	return stmts
}
