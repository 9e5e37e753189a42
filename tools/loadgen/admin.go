// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// admin speaks the Headscale v1 REST shape (Bearer API key), which Ledgerscale answers too, so the same run works
// against either server.
type admin struct {
	base   string
	apiKey string
	http   *http.Client
}

func newAdmin(base, apiKey string) *admin {
	return &admin{base: strings.TrimRight(base, "/"), apiKey: apiKey, http: &http.Client{Timeout: 60 * time.Second}}
}

// flexID reads an id that Headscale sends as a string (uint64 in protobuf JSON) and others as a number.
type flexID int64

func (f *flexID) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	var v int64
	if _, err := fmt.Sscan(s, &v); err != nil {
		return fmt.Errorf("id %s: %w", b, err)
	}
	*f = flexID(v)
	return nil
}

type apiNode struct {
	ID        flexID   `json:"id"`
	Name      string   `json:"name"`
	GivenName string   `json:"givenName"`
	Tags      []string `json:"tags"`
}

func (a *admin) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+a.apiKey)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := a.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return err
	}
	if res.StatusCode/100 != 2 {
		if len(b) > 300 {
			b = b[:300]
		}
		return fmt.Errorf("%s %s: status %d: %s", method, path, res.StatusCode, bytes.TrimSpace(b))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}

func (a *admin) nodes(ctx context.Context) ([]apiNode, error) {
	var out struct {
		Nodes []apiNode `json:"nodes"`
	}
	err := a.do(ctx, "GET", "/api/v1/node", nil, &out)
	return out.Nodes, err
}

func (a *admin) rename(ctx context.Context, id int64, name string) error {
	return a.do(ctx, "POST", fmt.Sprintf("/api/v1/node/%d/rename/%s", id, url.PathEscape(name)), nil, nil)
}

func (a *admin) setTags(ctx context.Context, id int64, tags []string) error {
	return a.do(ctx, "POST", fmt.Sprintf("/api/v1/node/%d/tags", id), map[string]any{"tags": tags}, nil)
}

func (a *admin) deleteNode(ctx context.Context, id int64) error {
	return a.do(ctx, "DELETE", fmt.Sprintf("/api/v1/node/%d", id), nil, nil)
}

// createUserAndKey makes a user and a reusable pre-auth key for it that outlives the run.
func (a *admin) createUserAndKey(ctx context.Context, name string) (string, error) {
	var u struct {
		User struct {
			ID flexID `json:"id"`
		} `json:"user"`
	}
	if err := a.do(ctx, "POST", "/api/v1/user", map[string]any{"name": name}, &u); err != nil {
		return "", err
	}
	// camelCase from Ledgerscale and grpc-gateway's default, snake_case when proto names are kept
	type keyJSON struct {
		Key string `json:"key"`
	}
	var k struct {
		PreAuthKey  keyJSON `json:"preAuthKey"`
		PreAuthKey2 keyJSON `json:"pre_auth_key"`
	}
	req := map[string]any{
		"user":       fmt.Sprint(int64(u.User.ID)),
		"reusable":   true,
		"expiration": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339),
	}
	if err := a.do(ctx, "POST", "/api/v1/preauthkey", req, &k); err != nil {
		return "", err
	}
	key := k.PreAuthKey.Key
	if key == "" {
		key = k.PreAuthKey2.Key
	}
	if key == "" {
		return "", fmt.Errorf("POST /api/v1/preauthkey returned no key")
	}
	return key, nil
}
