// Package template holds Consul Template's Scratch type under CT's package name, so Go prints
// its type as *template.Scratch in error messages, as CT does.
package template

import (
	"fmt"
	"sort"
)

// Scratch is CT's per-render scratch pad (template/scratch.go), same method set and results.
type Scratch struct {
	values map[string]interface{}
}

func (s *Scratch) ensure() {
	if s.values == nil {
		s.values = map[string]interface{}{}
	}
}

func (s *Scratch) Key(k string) bool {
	_, ok := s.values[k]
	return ok
}

func (s *Scratch) Get(k string) interface{} { return s.values[k] }

func (s *Scratch) Set(k string, v interface{}) string {
	s.ensure()
	s.values[k] = v
	return ""
}

func (s *Scratch) SetX(k string, v interface{}) string {
	s.ensure()
	if _, ok := s.values[k]; !ok {
		s.values[k] = v
	}
	return ""
}

func (s *Scratch) MapSet(k, mk string, v interface{}) (string, error) {
	s.ensure()
	return s.mapSet(k, mk, v, true)
}

func (s *Scratch) MapSetX(k, mk string, v interface{}) (string, error) {
	s.ensure()
	return s.mapSet(k, mk, v, false)
}

func (s *Scratch) mapSet(k, mk string, v interface{}, overwrite bool) (string, error) {
	if _, ok := s.values[k]; !ok {
		s.values[k] = map[string]interface{}{}
	}
	m, ok := s.values[k].(map[string]interface{})
	if !ok {
		return "", fmt.Errorf("%q is not a map", k)
	}
	if _, exists := m[mk]; overwrite || !exists {
		m[mk] = v
	}
	return "", nil
}

func (s *Scratch) MapValues(k string) ([]interface{}, error) {
	s.ensure()
	m, ok := s.values[k].(map[string]interface{})
	if !ok {
		return nil, nil
	}
	keys := make([]string, 0, len(m))
	for mk := range m {
		keys = append(keys, mk)
	}
	sort.Strings(keys)
	out := make([]interface{}, len(keys))
	for i, mk := range keys {
		out[i] = m[mk]
	}
	return out, nil
}
