// SPDX-License-Identifier: Apache-2.0

// regbench: N registrations with a pre-auth key, C at a time, each a fresh machine: Noise handshake over
// POST /ts2021, then POST /machine/register over HTTP/2 inside it (as tailscaled does).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http2"
	"tailscale.com/control/controlbase"
	"tailscale.com/tailcfg"
	"tailscale.com/types/key"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "")
	authKey := flag.String("authkey", "", "")
	n := flag.Int("n", 1000, "")
	c := flag.Int("c", 50, "")
	version := flag.Int("version", 130, "")
	prefix := flag.String("prefix", "bench", "hostname prefix")
	flag.Parse()
	resp, err := http.Get("http://" + *addr + "/key?v=" + fmt.Sprint(*version))
	if err != nil {
		panic(err)
	}
	var k struct{ PublicKey key.MachinePublic }
	if err := json.NewDecoder(resp.Body).Decode(&k); err != nil {
		panic(err)
	}
	var next, fails int64
	lat := make([]time.Duration, *n)
	hs := make([]time.Duration, *n)
	errs := sync.Map{}
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < *c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := atomic.AddInt64(&next, 1) - 1
				if i >= int64(*n) {
					return
				}
				t0 := time.Now()
				h, err := register(*addr, k.PublicKey, uint16(*version), *authKey, fmt.Sprintf("%s-%d", *prefix, i))
				lat[i] = time.Since(t0)
				hs[i] = h
				if err != nil {
					atomic.AddInt64(&fails, 1)
					v, _ := errs.LoadOrStore(err.Error(), new(int64))
					atomic.AddInt64(v.(*int64), 1)
				}
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	sort.Slice(hs, func(a, b int) bool { return hs[a] < hs[b] })
	q := func(s []time.Duration, p float64) time.Duration { return s[int(float64(len(s)-1)*p)] }
	fmt.Printf("n=%d c=%d elapsed=%.2fs rate=%.1f/s failures=%d latency p50=%v p95=%v max=%v handshake p50=%v p95=%v\n",
		*n, *c, el.Seconds(), float64(*n)/el.Seconds(), fails, q(lat, .5), q(lat, .95), lat[len(lat)-1], q(hs, .5), q(hs, .95))
	errs.Range(func(k, v any) bool { fmt.Printf("  error x%d: %s\n", *v.(*int64), k); return true })
	if fails > 0 {
		os.Exit(1)
	}
}

func register(addr string, pub key.MachinePublic, version uint16, authKey, host string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	t0 := time.Now()
	nc, err := dialNoise(ctx, addr, key.NewMachine(), pub, version)
	if err != nil {
		return time.Since(t0), fmt.Errorf("dial: %w", err)
	}
	defer nc.Close()
	h := time.Since(t0)
	cc, err := (&http2.Transport{}).NewClientConn(&earlyConn{Conn: nc})
	if err != nil {
		return h, err
	}
	nk := key.NewNode()
	body, _ := json.Marshal(tailcfg.RegisterRequest{
		Version:  tailcfg.CapabilityVersion(version),
		NodeKey:  nk.Public(),
		Auth:     &tailcfg.RegisterResponseAuth{AuthKey: authKey},
		Hostinfo: &tailcfg.Hostinfo{Hostname: host},
	})
	req, _ := http.NewRequestWithContext(ctx, "POST", "https://control.invalid/machine/register", bytes.NewReader(body))
	resp, err := cc.RoundTrip(req)
	if err != nil {
		return h, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return h, fmt.Errorf("status %d: %.100s", resp.StatusCode, b)
	}
	var rr tailcfg.RegisterResponse
	if err := json.Unmarshal(b, &rr); err != nil {
		return h, err
	}
	if rr.Error != "" || !rr.MachineAuthorized {
		return h, fmt.Errorf("not authorized: %q", rr.Error)
	}
	return h, nil
}

func dialNoise(ctx context.Context, addr string, mk key.MachinePrivate, controlPub key.MachinePublic, version uint16) (net.Conn, error) {
	init, cont, err := controlbase.ClientDeferred(mk, controlPub, version)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		raw.SetDeadline(dl)
	}
	req := "POST /ts2021 HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: tailscale-control-protocol\r\nConnection: upgrade\r\n" +
		"X-Tailscale-Handshake: " + base64.StdEncoding.EncodeToString(init) + "\r\nContent-Length: 0\r\n\r\n"
	if _, err := io.WriteString(raw, req); err != nil {
		return nil, err
	}
	br := bufio.NewReader(raw)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return nil, fmt.Errorf("upgrade refused: %s: %s", resp.Status, body)
	}
	nc, err := cont(ctx, &bufferedConn{Conn: raw, r: br})
	if err != nil {
		return nil, err
	}
	return nc, nil
}

type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

type earlyConn struct {
	net.Conn
	once   sync.Once
	prefix []byte
	err    error
}

func (c *earlyConn) Read(p []byte) (int, error) {
	c.once.Do(func() { c.prefix, c.err = c.readEarly() })
	if c.err != nil {
		return 0, c.err
	}
	if len(c.prefix) > 0 {
		n := copy(p, c.prefix)
		c.prefix = c.prefix[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

func (c *earlyConn) readEarly() ([]byte, error) {
	var hdr [9]byte
	if _, err := io.ReadFull(c.Conn, hdr[:]); err != nil {
		return nil, err
	}
	if !bytes.Equal(hdr[:5], []byte("\xff\xff\xffTS")) {
		return append([]byte(nil), hdr[:]...), nil
	}
	n := binary.BigEndian.Uint32(hdr[5:])
	if n > 10<<20 {
		return nil, errors.New("early payload too big")
	}
	body := make([]byte, n)
	_, err := io.ReadFull(c.Conn, body)
	return nil, err
}
