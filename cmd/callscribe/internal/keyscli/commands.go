package keyscli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/callscribe/callscribe/bridge/auth"
)

func (c *command) create(ctx context.Context, args []string) error {
	fs := c.flags("create")
	scopes := fs.String("scopes", "", "comma-separated scopes: stream, read, admin")
	name := fs.String("name", "", "a label for the key")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		fmt.Fprintf(c.stderr, "callscribe keys create: unexpected argument %q\n", pos[0])
		return ErrUsage
	}
	if *scopes == "" {
		fmt.Fprintln(c.stderr, "callscribe keys create: --scopes is required, e.g. --scopes stream,read")
		return ErrUsage
	}
	set, err := auth.ParseScopes(*scopes)
	if err != nil {
		return fmt.Errorf("--scopes: %w", err)
	}
	s, err := c.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	key, k, err := auth.CreateKey(ctx, s, *name, set, c.clock.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, key)
	fmt.Fprintf(c.stderr, "created key %s with scopes %s; it is shown only now\n", k.ID, k.Scopes)
	return nil
}

func (c *command) list(ctx context.Context, args []string) error {
	fs := c.flags("list")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		fmt.Fprintf(c.stderr, "callscribe keys list: unexpected argument %q\n", pos[0])
		return ErrUsage
	}
	s, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	keys, err := s.Keys(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tSCOPES\tCREATED\tLAST USED\tREVOKED")
	for _, k := range keys {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, orDash(k.Name), k.Scopes, stamp(k.CreatedAt), stamp(k.LastUsedAt), stamp(k.RevokedAt))
	}
	return w.Flush()
}

func (c *command) revoke(ctx context.Context, args []string) error {
	fs := c.flags("revoke")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintln(c.stderr, "callscribe keys revoke: want one key ID (see keys list)")
		return ErrUsage
	}
	id := pos[0]
	s, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.RevokeKey(ctx, id, c.clock.Now()); err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "revoked key %s; it and its tokens no longer work\n", id)
	return nil
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
