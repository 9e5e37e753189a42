// SPDX-License-Identifier: Apache-2.0

// Command tshelper is Ledgerscale's test helper: it drives our TS2021 responder with Tailscale's own
// initiator (tailscale.com/control/controlbase) so that Java tests check interoperability against the
// real Go implementation instead of against our own reading of the protocol.
//
// It speaks the client side exactly as tailscaled does on the wire: POST /ts2021 with the Noise initiation
// in X-Tailscale-Handshake, the Noise response after 101, the optional early payload, then HTTP/2 with prior
// knowledge inside the Noise stream. Each request's outcome is printed as one JSON line on stdout.
//
// Usage:
//
//	tshelper -addr 127.0.0.1:8080 -server-key mkey:<hex> [-machine-key privkey:<hex>] [-version 113]
//	         [-parallel] [-websocket] [-req 'METHOD PATH [BODYFILE] [frames=N] [after=I]']...
//	tshelper -decode-as MapResponse -decode-file map.json
//
// A request with frames=N reads N length-prefixed zstd map frames from the (streaming) body, then cancels it.
// With after=I (and -parallel) a request is sent only once request I has received its first frame (or its
// response headers), which lets a test show that a long-poll does not hold up other requests.
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
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/klauspost/compress/zstd"
	"golang.org/x/net/http2"
	"tailscale.com/control/controlbase"
	"tailscale.com/tailcfg"
	"tailscale.com/types/key"
)

type reqSpec struct {
	method, path, bodyFile string
	frames                 int
	after                  int // index of a request whose first response bytes must arrive first, or -1
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// out serialises JSON lines from concurrent goroutines.
var outMu sync.Mutex

func emit(v map[string]any) {
	outMu.Lock()
	defer outMu.Unlock()
	b, _ := json.Marshal(v)
	os.Stdout.Write(append(b, '\n'))
}

func fail(stage string, err error) {
	emit(map[string]any{"event": "error", "stage": stage, "error": err.Error()})
	os.Exit(1)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "host:port of the control server (plain HTTP)")
	serverKey := flag.String("server-key", "", "control server Noise public key, mkey:<hex>")
	machineKey := flag.String("machine-key", "", "client machine private key privkey:<hex> (random if empty)")
	version := flag.Int("version", 113, "protocol (capability) version in the initiation header")
	parallel := flag.Bool("parallel", false, "send all requests at once on the one HTTP/2 connection")
	timeout := flag.Duration("timeout", 20*time.Second, "overall deadline")
	useWebsocket := flag.Bool("websocket", false, "use the browser variant: GET /ts2021 as a WebSocket")
	var reqs multiFlag
	flag.Var(&reqs, "req", "'METHOD PATH [BODYFILE] [frames=N] [after=I]', repeatable")
	decodeAs := flag.String("decode-as", "", "instead of connecting: strictly decode -decode-file as this tailcfg type")
	decodeFile := flag.String("decode-file", "", "JSON file for -decode-as")
	flag.Parse()
	if *decodeAs != "" {
		decodeStrict(*decodeAs, *decodeFile)
		return
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	var controlPub key.MachinePublic
	if err := controlPub.UnmarshalText([]byte(*serverKey)); err != nil {
		fail("args", fmt.Errorf("server-key: %w", err))
	}
	mk := key.NewMachine()
	if *machineKey != "" {
		if err := mk.UnmarshalText([]byte(*machineKey)); err != nil {
			fail("args", fmt.Errorf("machine-key: %w", err))
		}
	}
	specs, err := parseSpecs(reqs)
	if err != nil {
		fail("args", err)
	}

	dial := dialNoise
	if *useWebsocket {
		dial = dialWebsocket
	}
	nc, err := dial(ctx, *addr, mk, controlPub, uint16(*version))
	if err != nil {
		fail("dial", err)
	}
	defer nc.Close()
	pub, _ := mk.Public().MarshalText()
	handshakeDone := make(chan struct{})
	conn := &earlyConn{Conn: nc, onEarly: func(early any) {
		emit(map[string]any{"event": "handshake", "machineKey": string(pub), "early": early})
		close(handshakeDone)
	}}

	t := &http2.Transport{}
	cc, err := t.NewClientConn(conn)
	if err != nil {
		fail("http2", err)
	}
	var wg sync.WaitGroup
	start := time.Now()
	ready := make([]chan struct{}, len(specs))
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	for i, s := range specs {
		run := func(i int, s reqSpec) {
			defer wg.Done()
			if s.after >= 0 && s.after < len(ready) {
				select {
				case <-ready[s.after]:
				case <-ctx.Done():
				}
			}
			var once sync.Once
			doRequest(ctx, cc, i, s, start, func() { once.Do(func() { close(ready[i]) }) })
		}
		wg.Add(1)
		if *parallel {
			go run(i, s)
		} else {
			run(i, s)
		}
	}
	wg.Wait()
	select {
	case <-handshakeDone:
	case <-ctx.Done():
		fail("early", ctx.Err())
	}
	emit(map[string]any{"event": "done"})
}

func parseSpecs(reqs []string) ([]reqSpec, error) {
	var specs []reqSpec
	for _, r := range reqs {
		f := strings.Fields(r)
		if len(f) < 2 {
			return nil, fmt.Errorf("bad -req %q", r)
		}
		s := reqSpec{method: f[0], path: f[1], after: -1}
		for _, extra := range f[2:] {
			if n, ok := strings.CutPrefix(extra, "after="); ok {
				v, err := strconv.Atoi(n)
				if err != nil {
					return nil, err
				}
				s.after = v
			} else if n, ok := strings.CutPrefix(extra, "frames="); ok {
				v, err := strconv.Atoi(n)
				if err != nil {
					return nil, err
				}
				s.frames = v
			} else {
				s.bodyFile = extra
			}
		}
		specs = append(specs, s)
	}
	return specs, nil
}

// dialNoise performs the HTTP/1.1 upgrade and Noise IK handshake the way controlhttp does, and consumes the
// early payload if the server sent one.
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
	// Bytes the HTTP reader buffered past the 101 belong to the Noise stream.
	nc, err := cont(ctx, &bufferedConn{Conn: raw, r: br})
	if err != nil {
		return nil, err
	}
	raw.SetDeadline(time.Time{})
	return nc, nil
}

// dialWebsocket is the browser (WASM) client's transport: the initiation in the query string, the subprotocol
// tailscale-control-protocol, and the byte stream carried in binary messages.
func dialWebsocket(ctx context.Context, addr string, mk key.MachinePrivate, controlPub key.MachinePublic, version uint16) (net.Conn, error) {
	init, cont, err := controlbase.ClientDeferred(mk, controlPub, version)
	if err != nil {
		return nil, err
	}
	u := "ws://" + addr + "/ts2021?X-Tailscale-Handshake=" + url.QueryEscape(base64.StdEncoding.EncodeToString(init))
	c, _, err := websocket.Dial(ctx, u, &websocket.DialOptions{Subprotocols: []string{"tailscale-control-protocol"}})
	if err != nil {
		return nil, err
	}
	if c.Subprotocol() != "tailscale-control-protocol" {
		c.Close(websocket.StatusPolicyViolation, "")
		return nil, fmt.Errorf("server chose subprotocol %q", c.Subprotocol())
	}
	return cont(ctx, websocket.NetConn(ctx, c, websocket.MessageBinary))
}

// earlyConn looks at the first 9 plaintext bytes on the first Read, as Tailscale's noiseconn does: the early
// payload magic, or the start of the server's HTTP/2 stream (then handed on to the HTTP/2 client). Doing it lazily
// matters: the HTTP/2 client must be free to send its preface first (a server may wait for it before writing).
type earlyConn struct {
	net.Conn
	once    sync.Once
	prefix  []byte
	err     error
	onEarly func(any)
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
		c.onEarly(nil)
		return append([]byte(nil), hdr[:]...), nil
	}
	n := binary.BigEndian.Uint32(hdr[5:])
	if n > 10<<20 {
		return nil, errors.New("early payload too big")
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(c.Conn, body); err != nil {
		return nil, err
	}
	var early any
	if err := json.Unmarshal(body, &early); err != nil {
		return nil, err
	}
	c.onEarly(early)
	return nil, nil
}

func doRequest(ctx context.Context, cc *http2.ClientConn, i int, s reqSpec, start time.Time, firstBytes func()) {
	defer firstBytes()
	var body io.Reader = http.NoBody
	if s.bodyFile != "" {
		b, err := os.ReadFile(s.bodyFile)
		if err != nil {
			emit(map[string]any{"event": "response", "req": i, "error": err.Error()})
			return
		}
		body = bytes.NewReader(b)
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, s.method, "https://control.invalid"+s.path, body)
	if err != nil {
		emit(map[string]any{"event": "response", "req": i, "error": err.Error()})
		return
	}
	resp, err := cc.RoundTrip(req)
	if err != nil {
		emit(map[string]any{"event": "response", "req": i, "error": err.Error(), "ms": time.Since(start).Milliseconds()})
		return
	}
	defer resp.Body.Close()
	out := map[string]any{"event": "response", "req": i, "status": resp.StatusCode, "proto": resp.Proto}
	if s.frames > 0 {
		frames, frameMs, err := readFrames(resp.Body, s.frames, start, firstBytes)
		out["frames"] = frames
		out["frameMs"] = frameMs
		if err != nil {
			out["error"] = err.Error()
		}
	} else {
		firstBytes()
		b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
		out["body"] = string(b)
		if err != nil {
			out["error"] = err.Error()
		}
	}
	out["ms"] = time.Since(start).Milliseconds()
	emit(out)
}

// readFrames decodes the map response framing: u32 little-endian length, then one zstd frame of JSON.
// It also records when each frame arrived (ms since start) and signals after the first one.
func readFrames(r io.Reader, n int, start time.Time, first func()) ([]json.RawMessage, []int64, error) {
	dec, err := zstd.NewReader(nil)
	if err != nil {
		return nil, nil, err
	}
	defer dec.Close()
	var frames []json.RawMessage
	var at []int64
	for len(frames) < n {
		var lb [4]byte
		if _, err := io.ReadFull(r, lb[:]); err != nil {
			return frames, at, err
		}
		buf := make([]byte, binary.LittleEndian.Uint32(lb[:]))
		if _, err := io.ReadFull(r, buf); err != nil {
			return frames, at, err
		}
		plain, err := dec.DecodeAll(buf, nil)
		if err != nil {
			return frames, at, err
		}
		frames = append(frames, json.RawMessage(plain))
		at = append(at, time.Since(start).Milliseconds())
		first()
	}
	return frames, at, nil
}

// decodeStrict decodes a file into a tailcfg type the way the client does, except that unknown fields are errors:
// a misspelt field name on our side would otherwise be silently ignored by real clients.
func decodeStrict(typeName, file string) {
	targets := map[string]func() any{
		"RegisterRequest":          func() any { return new(tailcfg.RegisterRequest) },
		"RegisterResponse":         func() any { return new(tailcfg.RegisterResponse) },
		"MapRequest":               func() any { return new(tailcfg.MapRequest) },
		"MapResponse":              func() any { return new(tailcfg.MapResponse) },
		"Node":                     func() any { return new(tailcfg.Node) },
		"DERPMap":                  func() any { return new(tailcfg.DERPMap) },
		"DNSConfig":                func() any { return new(tailcfg.DNSConfig) },
		"UserProfile":              func() any { return new(tailcfg.UserProfile) },
		"FilterRule":               func() any { return new(tailcfg.FilterRule) },
		"EarlyNoise":               func() any { return new(tailcfg.EarlyNoise) },
		"OverTLSPublicKeyResponse": func() any { return new(tailcfg.OverTLSPublicKeyResponse) },
	}
	mk, ok := targets[typeName]
	if !ok {
		fail("decode", fmt.Errorf("unknown type %q", typeName))
	}
	b, err := os.ReadFile(file)
	if err != nil {
		fail("decode", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	v := mk()
	if err := dec.Decode(v); err != nil {
		fail("decode", err)
	}
	// Re-encode, so a test can see what Go made of it.
	emit(map[string]any{"event": "decoded", "type": typeName, "value": v})
}

type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }
