// Package config holds the two steps every callscribe Config takes, so
// that each package states only its own fields and rules: zero fields
// become their defaults (Default), and every problem found is reported
// at once, in one error wrapping the package's ErrBadConfig (Problems).
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Default sets *field to value when it holds its type's zero value.
func Default[T comparable](field *T, value T) {
	var zero T
	if *field == zero {
		*field = value
	}
}

// Logger returns l, or slog.Default() when l is nil.
func Logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.Default()
	}
	return l
}

// Problems gathers what is wrong with a configuration. The zero value is
// ready to use.
type Problems struct{ errs []error }

// Addf records a problem.
func (p *Problems) Addf(format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf(format, args...))
}

// Add records err, if not nil: the problems of a nested Config.
func (p *Problems) Add(err error) {
	if err != nil {
		p.errs = append(p.errs, err)
	}
}

// Positive records a problem when the duration named name is not above
// zero.
func (p *Problems) Positive(name string, d time.Duration) {
	if d <= 0 {
		p.Addf("%s must be positive, is %v", name, d)
	}
}

// Err returns nil without problems, else one error wrapping sentinel and
// every problem.
func (p *Problems) Err(sentinel error) error {
	if len(p.errs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %w", sentinel, errors.Join(p.errs...))
}
