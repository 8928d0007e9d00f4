// Package dependency mirrors the types Consul Template's `secret` hands to templates, under
// CT's package name, so error messages and %T name them as CT's do (*dependency.Secret).
package dependency

import "time"

// Secret mirrors dependency.Secret (dependency/vault_common.go): what `secret` hands to templates.
type Secret struct {
	RequestID     string
	LeaseID       string
	LeaseDuration int
	Renewable     bool
	Data          map[string]interface{}
	Warnings      []string
	Auth          *SecretAuth
	WrapInfo      *SecretWrapInfo
}

type SecretAuth struct {
	ClientToken   string
	Accessor      string
	Policies      []string
	Metadata      map[string]string
	LeaseDuration int
	Renewable     bool
}

type SecretWrapInfo struct {
	Token           string
	TTL             int
	CreationTime    time.Time
	WrappedAccessor string
}
