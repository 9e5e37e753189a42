// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"tailscale.com/control/controlclient"
	"tailscale.com/health"
	"tailscale.com/net/netmon"
	"tailscale.com/net/tsdial"
	"tailscale.com/tailcfg"
	"tailscale.com/types/key"
	"tailscale.com/types/logger"
	"tailscale.com/types/persist"
	"tailscale.com/util/eventbus"
)

// peer is what a client keeps of one peer: enough to tell whether a change reached it.
type peer struct {
	Name      string
	Tags      []string
	Online    bool
	Endpoints []string
}

// view is one client's current picture of its peers, read under the node's lock.
type view interface {
	peer(id int64) (peer, bool)
	// onlineCount is the number of peers reported online.
	onlineCount() int
	// ids lists the peers' ids.
	ids() []int64
}

// Node is one simulated tailscale node: its keys, its controlclient.Direct and what its map stream told it.
type Node struct {
	idx      int
	hostname string
	env      *env
	direct   *controlclient.Direct
	disco    key.DiscoPublic
	hostinfo *tailcfg.Hostinfo
	endpoint string

	id atomic.Int64 // server node id, 0 until known

	// wire bytes read and written by this node's connections
	bytesIn, bytesOut atomic.Int64
	// map messages applied (light: frames that are not keep-alives; full: netmaps delivered)
	msgs atomic.Int64
	// keep-alive frames (light mode only)
	keepAlives atomic.Int64

	mu       sync.Mutex
	haveFull bool      // a map with the self node arrived on the current stream
	firstAt  time.Time // when the current stream's first map arrived (zero until it does)
	lastMsg  time.Time // last frame of any kind
	light    *lightState
	full     *fullState
	polling  bool
	cancel   context.CancelFunc
	done     chan struct{}
}

// env is what every node shares: the process-wide network monitor, event bus, server and counters.
type env struct {
	serverURL  string
	authKey    string
	mode       string
	sources    []net.IP
	netMon     *netmon.Monitor
	bus        *eventbus.Bus
	runID      string
	errors     *errorCounts
	backoffMax time.Duration
	recvWindow int
	// watch is the change every client is currently waiting for, if any
	watch atomic.Pointer[watch]
}

func newNode(e *env, idx int) (*Node, error) {
	n := &Node{idx: idx, env: e, hostname: fmt.Sprintf("lg-%s-%d", e.runID, idx)}
	n.endpoint = fmt.Sprintf("192.0.2.%d:%d", 1+idx%250, 41641+idx/250)
	mk := key.NewMachine()
	n.disco = key.NewDisco().Public()
	src := e.sources[idx%len(e.sources)]
	dialer := tsdial.NewFromFuncForDebug(logger.Discard, func(ctx context.Context, network, addr string) (net.Conn, error) {
		d := net.Dialer{Timeout: 30 * time.Second}
		if src != nil {
			d.LocalAddr = &net.TCPAddr{IP: src}
		}
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &countingConn{Conn: c, in: &n.bytesIn, out: &n.bytesOut}, nil
	})
	dialer.SetNetMon(e.netMon)
	n.hostinfo = &tailcfg.Hostinfo{
		BackendLogID: fmt.Sprintf("loadgen-%s-%d-%x", e.runID, idx, rand.Uint64()),
		Hostname:     n.hostname,
		OS:           "linux",
		IPNVersion:   "loadgen",
	}
	d, err := controlclient.NewDirect(controlclient.Options{
		Persist:              persist.Persist{},
		GetMachinePrivateKey: func() (key.MachinePrivate, error) { return mk, nil },
		ServerURL:            e.serverURL,
		AuthKey:              e.authKey,
		Hostinfo:             n.hostinfo.Clone(),
		DiscoPublicKey:       n.disco,
		Logf:                 logger.Discard,
		HealthTracker:        health.NewTracker(e.bus),
		Dialer:               dialer,
		Bus:                  e.bus,
	})
	if err != nil {
		return nil, err
	}
	n.direct = d
	return n, nil
}

// register logs the node in with the pre-auth key.
func (n *Node) register(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	url, err := n.direct.TryLogin(ctx, controlclient.LoginDefault)
	if err != nil {
		return err
	}
	if url != "" {
		return fmt.Errorf("server asked for interactive login (%s): is the key valid and reusable?", url)
	}
	if n.env.recvWindow > 0 {
		return limitReceiveWindow(n.direct, n.env.recvWindow)
	}
	return nil
}

// startPoll opens the node's map stream and keeps it open (reconnecting with Auto's backoff) until stopPoll.
func (n *Node) startPoll() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.polling {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	n.polling, n.cancel, n.done = true, cancel, make(chan struct{})
	n.haveFull = false
	n.firstAt = time.Time{}
	go n.pollLoop(ctx, n.done)
}

// stopPoll cancels the map stream and waits until it has ended.
func (n *Node) stopPoll() {
	n.mu.Lock()
	if !n.polling {
		n.mu.Unlock()
		return
	}
	cancel, done := n.cancel, n.done
	n.polling = false
	n.mu.Unlock()
	cancel()
	<-done
	// what the ended stream delivered stays as the client's last picture, but it is no longer a complete map
	n.mu.Lock()
	n.haveFull = false
	n.mu.Unlock()
}

func (n *Node) isPolling() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.polling
}

func (n *Node) pollLoop(ctx context.Context, done chan struct{}) {
	defer close(done)
	failures := 0
	for ctx.Err() == nil {
		var err error
		started := time.Now()
		if n.env.mode == "full" {
			err = n.direct.PollNetMap(ctx, &fullUpdater{n: n})
		} else {
			err = n.pollLight(ctx)
		}
		if ctx.Err() != nil {
			return
		}
		n.env.errors.add("poll", err)
		n.mu.Lock()
		n.haveFull = false
		n.mu.Unlock()
		if time.Since(started) > 30*time.Second {
			failures = 0
		}
		failures++
		// controlclient.Auto's backoff: n² × 10 ms, capped, times a random factor in [0.5, 1.5)
		d := min(time.Duration(failures*failures)*10*time.Millisecond, n.env.backoffMax)
		d = time.Duration(float64(d) * (0.5 + rand.Float64()))
		select {
		case <-ctx.Done():
			return
		case <-time.After(d):
		}
	}
}

// snapshot runs f on the node's current view of its peers; f must not keep it.
func (n *Node) snapshot(f func(v view, haveFull bool)) {
	n.mu.Lock()
	defer n.mu.Unlock()
	var v view = emptyView{}
	if n.light != nil {
		v = n.light
	} else if n.full != nil {
		v = n.full
	}
	f(v, n.haveFull)
}

// gotFullLocked is called with n.mu held for each map that carries the self node.
func (n *Node) gotFullLocked() {
	if !n.haveFull && n.firstAt.IsZero() {
		n.firstAt = time.Now()
	}
	n.haveFull = true
}

// applied is called with n.mu held after each map message changed the node's view.
func (n *Node) appliedLocked(v view) {
	n.msgs.Add(1)
	if w := n.env.watch.Load(); w != nil {
		w.observe(n, v, n.haveFull)
	}
}

type emptyView struct{}

func (emptyView) peer(int64) (peer, bool) { return peer{}, false }
func (emptyView) onlineCount() int        { return 0 }
func (emptyView) ids() []int64            { return nil }

type countingConn struct {
	net.Conn
	in, out *atomic.Int64
}

func (c *countingConn) Read(b []byte) (int, error) {
	k, err := c.Conn.Read(b)
	c.in.Add(int64(k))
	return k, err
}

func (c *countingConn) Write(b []byte) (int, error) {
	k, err := c.Conn.Write(b)
	c.out.Add(int64(k))
	return k, err
}

// errorCounts counts failures by stage and kind, keeping one example message per kind.
type errorCounts struct {
	mu      sync.Mutex
	counts  map[string]int
	example map[string]string
}

func newErrorCounts() *errorCounts {
	return &errorCounts{counts: map[string]int{}, example: map[string]string{}}
}

func (e *errorCounts) add(stage string, err error) {
	if err == nil {
		return
	}
	k := stage + ": " + errorKind(err)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.counts[k]++
	if _, ok := e.example[k]; !ok {
		e.example[k] = err.Error()
	}
}

func (e *errorCounts) snapshot() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]int, len(e.counts))
	for k, v := range e.counts {
		out[k] = v
	}
	return out
}

func errorKind(err error) string {
	s := err.Error()
	switch {
	case strings.HasPrefix(s, "watchdog"):
		return "client watchdog: no map frame for 120 s"
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(s, "deadline exceeded") || strings.Contains(s, "timeout"):
		return "timeout"
	case strings.Contains(s, "connection refused"):
		return "connection refused"
	case strings.Contains(s, "connection reset"):
		return "connection reset"
	case strings.Contains(s, "EOF"):
		return "EOF"
	case strings.Contains(s, "cannot assign requested address"):
		return "out of source ports"
	case strings.Contains(s, "too many open files"):
		return "too many open files"
	}
	for _, code := range []string{"400", "401", "403", "404", "409", "429", "500", "502", "503", "504"} {
		if strings.Contains(s, code) {
			return "status " + code
		}
	}
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}
