// SPDX-License-Identifier: Apache-2.0

// Command loadgen holds N simulated Tailscale nodes in one process, each a real controlclient.Direct (Noise,
// registration with a reusable pre-auth key, streaming map), and measures a control server under scenarios:
// register, connect, storm, fanout, churn, idle and converge. It targets any control server that speaks the
// Tailscale protocol and Headscale's REST API (Ledgerscale, Headscale).
//
//	loadgen -server http://127.0.0.1:8080 -api-key KEY -n 1000 -mode light -scenario converge
//
// Output: progress on stderr, a Markdown report on stdout (or -md), JSON with -json. Exit status 1 when a
// scenario failed, for example when a client never saw a change.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"tailscale.com/net/netmon"
	"tailscale.com/net/netns"
	"tailscale.com/util/eventbus"
)

var logOut io.Writer = os.Stderr

func main() {
	server := flag.String("server", "", "control server URL with an IP literal host, e.g. http://127.0.0.1:8080")
	authKey := flag.String("authkey", os.Getenv("LOADGEN_AUTHKEY"),
		"reusable pre-auth key, or $LOADGEN_AUTHKEY (or give an API key to create a user and key)")
	apiKey := flag.String("api-key", os.Getenv("LOADGEN_API_KEY"),
		"admin API key (Bearer) for admin changes and creating the key, or $LOADGEN_API_KEY (keeps it out of ps)")
	n := flag.Int("n", 100, "number of simulated nodes")
	conc := flag.Int("concurrency", 50, "registrations in flight at once")
	mode := flag.String("mode", "light", "client mode: full (real netmap assembly) or light (minimal map reader)")
	sources := flag.String("sources", "", "comma-separated loopback source addresses to dial from (for large N)")
	serverPID := flag.Int("server-pid", 0, "server process id, sampled from /proc at 1 Hz")
	dbPID := flag.Int("db-pid", 0,
		"the server's database process (PostgreSQL's postmaster), sampled with its children at 1 Hz and reported beside the server")
	jsonOut := flag.String("json", "", "write the JSON report here")
	mdOut := flag.String("md", "", "write the Markdown report here (default: stdout)")
	deadline := flag.Duration("deadline", 60*time.Second, "how long to wait for a change to reach every client, per step")
	connectDeadline := flag.Duration("connect-deadline", 0,
		"how long to wait for every client's complete map on connect, storm and rejoin (default: -deadline)")
	rounds := flag.Int("rounds", 4, "rounds of fanout and churn")
	storms := flag.Int("storms", 1, "converge: reconnect storms, each followed by a rename every client must see")
	churnFrac := flag.Float64("churn-fraction", 0.1, "fraction of nodes leaving per churn round")
	idleFor := flag.Duration("idle", time.Minute, "duration of the idle scenario")
	tag := flag.String("tag", "tag:loadgen", "tag the converge scenario sets (must be declared in the policy)")
	setPolicy := flag.Bool("set-policy", false, "before the run, PUT an allow-all policy declaring -tag (replaces the server's policy)")
	backoffMax := flag.Duration("backoff-max", 10*time.Second, "cap of the reconnect backoff after a failed poll")
	cpuProfile := flag.String("cpuprofile", "", "write the generator's own CPU profile here (go tool pprof), to see where a saturated generator spends its time")
	recvWindow := flag.Int("recv-window", 0,
		"HTTP/2 receive buffer per map stream in bytes (0: Go's 4 MB); a generator that falls behind holds up to this per node")
	var scenarios []string
	flag.Func("scenario", "register, connect, storm, fanout, churn, idle, converge (repeatable or comma-separated, run in order)",
		func(s string) error {
			for _, x := range strings.Split(s, ",") {
				if x = strings.TrimSpace(x); x != "" {
					scenarios = append(scenarios, x)
				}
			}
			return nil
		})
	flag.Parse()

	stopProfile := func() {}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen: -cpuprofile:", err)
			os.Exit(2)
		}
		stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
	}
	err := run(options{
		server: *server, authKey: *authKey, apiKey: *apiKey, n: *n, conc: *conc, mode: *mode, sources: *sources,
		serverPID: *serverPID, dbPID: *dbPID, jsonOut: *jsonOut, mdOut: *mdOut, deadline: *deadline, connectDeadline: *connectDeadline, rounds: *rounds, storms: *storms,
		churnFrac: *churnFrac, idle: *idleFor, tag: *tag, setPolicy: *setPolicy, backoffMax: *backoffMax,
		recvWindow: *recvWindow, scenarios: scenarios,
	})
	stopProfile()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

type options struct {
	server, authKey, apiKey, mode, sources, jsonOut, mdOut, tag string
	n, conc, serverPID, dbPID, rounds, storms, recvWindow       int
	deadline, connectDeadline, idle, backoffMax                 time.Duration
	churnFrac                                                   float64
	setPolicy                                                   bool
	scenarios                                                   []string
}

var known = map[string]bool{"register": true, "connect": true, "storm": true, "fanout": true, "churn": true, "idle": true, "converge": true}

func (o options) check() error {
	u, err := url.Parse(o.server)
	if o.server == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: -server must be an http(s) URL", errUsage)
	}
	if net.ParseIP(u.Hostname()) == nil {
		return fmt.Errorf("%w: -server must have an IP literal host (a name makes every dial fall back to the internet resolver)", errUsage)
	}
	if o.authKey == "" && o.apiKey == "" {
		return fmt.Errorf("%w: give -authkey or -api-key", errUsage)
	}
	if o.n < 2 || o.n > 100_000 {
		return fmt.Errorf("%w: -n must be 2..100000", errUsage)
	}
	if o.conc < 1 || o.conc > 10_000 {
		return fmt.Errorf("%w: -concurrency must be 1..10000", errUsage)
	}
	if o.mode != "full" && o.mode != "light" {
		return fmt.Errorf("%w: -mode must be full or light", errUsage)
	}
	if o.storms < 1 || o.storms > 100 {
		return fmt.Errorf("%w: -storms must be 1..100", errUsage)
	}
	if o.rounds < 1 || o.rounds > 1000 || o.churnFrac <= 0 || o.churnFrac >= 1 {
		return fmt.Errorf("%w: -rounds must be 1..1000 and -churn-fraction in (0, 1)", errUsage)
	}
	if o.deadline <= 0 || o.connectDeadline < 0 || o.backoffMax <= 0 || o.idle <= 0 {
		return fmt.Errorf("%w: durations must be positive", errUsage)
	}
	if len(o.scenarios) == 0 {
		return fmt.Errorf("%w: give at least one -scenario", errUsage)
	}
	for _, s := range o.scenarios {
		if !known[s] {
			return fmt.Errorf("%w: unknown scenario %q", errUsage, s)
		}
	}
	return nil
}

func parseSources(s string) ([]net.IP, error) {
	if s == "" {
		return []net.IP{nil}, nil
	}
	var out []net.IP
	for _, x := range strings.Split(s, ",") {
		ip := net.ParseIP(strings.TrimSpace(x))
		if ip == nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("%w: -sources: %q is not a loopback address", errUsage, x)
		}
		out = append(out, ip)
	}
	return out, nil
}

func run(o options) error {
	if err := o.check(); err != nil {
		return err
	}
	srcs, err := parseSources(o.sources)
	if err != nil {
		return err
	}
	// sockets to the control server need no marks or interface binding, as in tailscale's own tests
	netns.SetEnabled(false)
	ctx := context.Background()
	runID := fmt.Sprintf("%04x", rand.Uint32()&0xffff)
	var adm *admin
	if o.apiKey != "" {
		adm = newAdmin(o.server, o.apiKey)
		if o.setPolicy {
			policy := fmt.Sprintf(`{"tagOwners":{%q:[]},"acls":[{"action":"accept","src":["*"],"dst":["*:*"]}]}`, o.tag)
			if err := adm.do(ctx, "PUT", "/api/v1/policy", map[string]any{"policy": policy}, nil); err != nil {
				return fmt.Errorf("setting the policy: %w", err)
			}
		}
		if o.authKey == "" {
			k, err := adm.createUserAndKey(ctx, "loadgen-"+runID)
			if err != nil {
				return fmt.Errorf("creating a user and pre-auth key: %w", err)
			}
			o.authKey = k
		}
	}
	bus := eventbus.New()
	defer bus.Close()
	e := &env{serverURL: o.server, authKey: o.authKey, mode: o.mode, sources: srcs, netMon: netmon.NewStatic(),
		bus: bus, runID: runID, errors: newErrorCounts(), backoffMax: o.backoffMax, recvWindow: o.recvWindow}
	if o.connectDeadline == 0 {
		o.connectDeadline = o.deadline
	}
	f := &fleet{env: e, n: o.n, conc: o.conc, admin: adm, deadline: o.deadline, connectDeadline: o.connectDeadline, failed: map[int]bool{},
		deleted: map[int]bool{}, smp: newSampler(o.serverPID, o.dbPID),
		rep: &report{Server: o.server, Mode: o.mode, Nodes: o.n, Started: time.Now(), GoMaxProcs: runtime.GOMAXPROCS(0)}}
	for i := range o.n {
		node, err := newNode(e, i)
		if err != nil {
			return fmt.Errorf("node %d: %w", i, err)
		}
		f.nodes = append(f.nodes, node)
	}
	fmt.Fprintf(logOut, "loadgen run %s: %d %s nodes against %s\n", runID, o.n, o.mode, o.server)

	var runErr error
	for _, s := range o.scenarios {
		switch s {
		case "register":
			runErr = f.ensureRegistered(ctx)
		case "connect":
			runErr = f.ensureConnected(ctx)
		case "storm":
			runErr = f.storm(ctx)
		case "fanout":
			runErr = f.fanout(ctx, o.rounds)
		case "churn":
			runErr = f.churn(ctx, o.rounds, o.churnFrac)
		case "idle":
			runErr = f.idle(ctx, o.idle)
		case "converge":
			runErr = f.converge(ctx, o.tag, o.storms)
		}
		if runErr != nil {
			break
		}
	}
	if runErr != nil {
		f.rep.Failed = runErr.Error()
	}
	f.rep.PollErrors = e.errors.snapshot()
	f.rep.FramesCached, f.rep.FramesDecoded = decodedFrames.counts()
	if o.jsonOut != "" {
		if err := f.rep.writeJSON(o.jsonOut); err != nil {
			return err
		}
	}
	md := f.rep.markdown()
	if o.mdOut != "" {
		if err := os.WriteFile(o.mdOut, []byte(md), 0o644); err != nil {
			return err
		}
	} else {
		fmt.Print(md)
	}
	if runErr != nil && errors.Is(runErr, errConverge) {
		// a client that missed a change is the finding; the line names the exact count for CI
		fmt.Fprintln(os.Stderr, "CONVERGENCE FAILURE:", runErr)
	}
	f.parallel(func(*Node) bool { return true }, (*Node).stopPoll)
	return runErr
}
