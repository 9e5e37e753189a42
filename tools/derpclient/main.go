// SPDX-License-Identifier: Apache-2.0

// Command derpclient drives Tailscale's own Go DERP client (tailscale.com/derp/derphttp) against a
// DERP server, for Ledgerscale's protocol tests. It prints one JSON object per line on stdout.
//
//	derpclient -url http://127.0.0.1:8080/derp -a privkey:... -b privkey:...
//
// Client a connects, b connects, a sends a packet to b, b answers, a pings the server, then b
// closes and a waits for the PeerGone the server owes it. With -expect-refused, a alone connects
// and the program reports whether the server let it in. With -watch, a alone connects and reports
// the server's Health and Restarting messages until the server ends the connection. With -url-b, b
// connects to another relay of the region (a mesh peer of the first): each packet is sent again
// every 250 ms until it arrives, since a relay learns of the other's clients only after they connect.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"tailscale.com/derp"
	"tailscale.com/derp/derphttp"
	"tailscale.com/net/netmon"
	"tailscale.com/types/key"
)

func emit(v map[string]any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

func fail(step string, err error) {
	emit(map[string]any{"event": "error", "step": step, "error": err.Error()})
	os.Exit(1)
}

// logf is quiet unless DERPCLIENT_VERBOSE is set (then the client's log goes to stderr).
func logf(format string, args ...any) {
	if os.Getenv("DERPCLIENT_VERBOSE") != "" {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
	}
}

func client(url, priv string) (*derphttp.Client, key.NodePrivate) {
	var k key.NodePrivate
	if err := k.UnmarshalText([]byte(priv)); err != nil {
		fail("key", err)
	}
	c, err := derphttp.NewClient(k, url, logf, netmon.NewStatic())
	if err != nil {
		fail("client", err)
	}
	return c, k
}

// recv waits for the first message of the wanted kind, skipping keep-alives and server info.
func recv[T any](c *derphttp.Client, what string, timeout time.Duration) T {
	type result struct {
		m   derp.ReceivedMessage
		err error
	}
	deadline := time.After(timeout)
	for {
		ch := make(chan result, 1)
		go func() { m, err := c.Recv(); ch <- result{m, err} }()
		select {
		case r := <-ch:
			if r.err != nil {
				fail(what, r.err)
			}
			if m, ok := r.m.(T); ok {
				return m
			}
		case <-deadline:
			fail(what, fmt.Errorf("timed out"))
		}
	}
}

func main() {
	url := flag.String("url", "", "DERP server URL")
	a := flag.String("a", "", "client a's private key")
	b := flag.String("b", "", "client b's private key")
	refused := flag.Bool("expect-refused", false, "only connect a and report whether it was refused")
	urlB := flag.String("url-b", "", "client b's DERP server URL, if not -url (a mesh peer)")
	watch := flag.Duration("watch", 0, "only connect a and report Health and Restarting for this long")
	pairs := flag.Int("bench-pairs", 0, "throughput benchmark: this many sender/receiver pairs")
	seconds := flag.Int("bench-seconds", 10, "benchmark duration")
	size := flag.Int("bench-size", 1200, "benchmark packet size")
	flag.Parse()
	if *pairs > 0 {
		bench(*url, *pairs, time.Duration(*seconds)*time.Second, *size)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	ca, ka := client(*url, *a)
	if *watch > 0 {
		watchServer(ca, *watch)
		return
	}
	if *refused {
		err := ca.Connect(ctx)
		if err == nil {
			// the server may accept the upgrade and only then close: a read tells
			_, err = ca.Recv()
			if err == nil {
				_, err = ca.Recv()
			}
		}
		emit(map[string]any{"event": "refused", "refused": err != nil})
		return
	}
	if err := ca.Connect(ctx); err != nil {
		fail("connect a", err)
	}
	recv[derp.ServerInfoMessage](ca, "server info a", 10*time.Second)
	emit(map[string]any{"event": "connected", "client": "a", "serverKey": ca.ServerPublicKey().String()})
	bURL := *url
	if *urlB != "" {
		bURL = *urlB
	}
	cb, kb := client(bURL, *b)
	if err := cb.Connect(ctx); err != nil {
		fail("connect b", err)
	}
	// b is in the relay once the server has sent it ServerInfo; a packet sent earlier may find no b
	recv[derp.ServerInfoMessage](cb, "server info b", 10*time.Second)
	emit(map[string]any{"event": "connected", "client": "b"})
	ca.NotePreferred(true)

	stop := sendUntil(ca, kb.Public(), "hello from a", *urlB != "")
	p := recv[derp.ReceivedPacket](cb, "recv b", 20*time.Second)
	stop()
	emit(map[string]any{"event": "received", "client": "b", "from": p.Source.String(), "data": string(p.Data)})
	stop = sendUntil(cb, ka.Public(), "hello from b", *urlB != "")
	q := recv[derp.ReceivedPacket](ca, "recv a", 20*time.Second)
	stop()
	emit(map[string]any{"event": "received", "client": "a", "from": q.Source.String(), "data": string(q.Data)})

	if err := ca.SendPing([8]byte{1, 2, 3, 4, 5, 6, 7, 8}); err != nil {
		fail("ping", err)
	}
	pong := recv[derp.PongMessage](ca, "pong", 10*time.Second)
	emit(map[string]any{"event": "pong", "data": pong[:]})

	cb.Close()
	gone := recv[derp.PeerGoneMessage](ca, "peer gone", 20*time.Second)
	emit(map[string]any{"event": "peerGone", "peer": gone.Peer.String(), "reason": int(gone.Reason)})
	ca.Close()
}

// sendUntil sends data from c to the key once or, with again, every 250 ms until the returned
// function is called.
func sendUntil(c *derphttp.Client, to key.NodePublic, data string, again bool) func() {
	if err := c.Send(to, []byte(data)); err != nil {
		fail("send "+data, err)
	}
	if !again {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				c.Send(to, []byte(data))
			}
		}
	}()
	return func() { close(done) }
}

// bench connects 2*pairs clients with fresh keys; each pair's sender sends packets of size bytes
// to its receiver as fast as the connection takes them for d, and the receivers count what arrives.
func bench(url string, pairs int, d time.Duration, size int) {
	ctx, cancel := context.WithTimeout(context.Background(), d+60*time.Second)
	defer cancel()
	type pair struct {
		s, r *derphttp.Client
		rk   key.NodePublic
	}
	ps := make([]pair, pairs)
	for i := range ps {
		sk, rk := key.NewNode(), key.NewNode()
		s, _ := derphttp.NewClient(sk, url, logf, netmon.NewStatic())
		r, _ := derphttp.NewClient(rk, url, logf, netmon.NewStatic())
		for _, c := range []*derphttp.Client{s, r} {
			if err := c.Connect(ctx); err != nil {
				fail("bench connect", err)
			}
			recv[derp.ServerInfoMessage](c, "bench server info", 30*time.Second)
		}
		ps[i] = pair{s, r, rk.Public()}
	}
	var sent, received, receivedBytes atomic.Int64
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	buf := make([]byte, size)
	for _, p := range ps {
		wg.Add(1)
		go func(p pair) {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if err := p.s.Send(p.rk, buf); err != nil {
					return
				}
				sent.Add(1)
			}
		}(p)
		go func(p pair) {
			for {
				m, err := p.r.Recv()
				if err != nil {
					return
				}
				if rp, ok := m.(derp.ReceivedPacket); ok && time.Now().Before(deadline) {
					received.Add(1)
					receivedBytes.Add(int64(len(rp.Data)))
				}
			}
		}(p)
	}
	wg.Wait()
	time.Sleep(200 * time.Millisecond)
	secs := d.Seconds()
	emit(map[string]any{"event": "bench", "pairs": pairs, "size": size, "seconds": secs,
		"sent": sent.Load(), "received": received.Load(),
		"packetsPerSecond":   float64(received.Load()) / secs,
		"megabytesPerSecond": float64(receivedBytes.Load()) / secs / 1e6})
	for _, p := range ps {
		p.s.Close()
		p.r.Close()
	}
}

// watchServer connects c and reports what the server tells it about itself, one event a message,
// until the server ends the connection (event "closed") or d passes.
func watchServer(c *derphttp.Client, d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Connect(ctx); err != nil {
		fail("connect a", err)
	}
	recv[derp.ServerInfoMessage](c, "server info a", 10*time.Second)
	emit(map[string]any{"event": "connected", "client": "a"})
	// derphttp's Recv would dial again after an error: one error ends the watch
	ended := make(chan error, 1)
	go func() {
		for {
			m, err := c.Recv()
			if err != nil {
				ended <- err
				return
			}
			switch m := m.(type) {
			case derp.HealthMessage:
				emit(map[string]any{"event": "health", "problem": m.Problem})
			case derp.ServerRestartingMessage:
				emit(map[string]any{"event": "restarting",
					"reconnectInMs": m.ReconnectIn.Milliseconds(), "tryForMs": m.TryFor.Milliseconds()})
			}
		}
	}()
	select {
	case err := <-ended:
		emit(map[string]any{"event": "closed", "error": err.Error()})
	case <-time.After(d):
		emit(map[string]any{"event": "timeout"})
	}
	c.Close()
}
