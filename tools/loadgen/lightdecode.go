// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"
)

// decodeLightResponse reads the part of a MapResponse the light client keeps with a scanner made for it: the few
// members it reads are matched by their exact names (as tailcfg's encoding writes them) and every other value is
// skipped by its brackets and quotes, unparsed and unchecked inside (a string's escapes and UTF-8 are checked
// only where the client keeps the string). Decoding into lightResponse with reflection (jsonv2) spent half of a
// storm's generator CPU checking and matching what the light client then drops: Hostinfo, keys, endpoints.
//
// frames says where frames of the generator's cache begin in plain (nil: none): a frame that is a run of whole peer
// entries is scanned once, and every later list holding it takes the entries that scan read.
func decodeLightResponse(plain []byte, frames []decodedFrame) (*lightResponse, error) {
	s := &scanner{b: plain, frames: frames}
	var r lightResponse
	err := s.object(func(name []byte) error {
		var err error
		switch string(name) {
		case "KeepAlive":
			r.KeepAlive, err = s.boolean()
		case "Node":
			if !s.null() {
				var n lightNode
				if n, err = s.lightNode(); err == nil {
					r.Node = &n
				}
			}
		case "Peers":
			r.Peers, err = s.nodes(takeNodes())
		case "PeersChanged":
			r.PeersChanged, err = s.nodes(takeNodes())
		case "PeersRemoved":
			r.PeersRemoved, err = list(s, nil, s.integer)
		case "PeersChangedPatch":
			r.PeersChangedPatch, err = list(s, nil, s.patch)
		case "OnlineChange":
			r.OnlineChange, err = s.onlineChange()
		default:
			err = s.skip()
		}
		return err
	})
	if err == nil {
		if s.ws(); s.i != len(s.b) {
			err = s.fail("more after the map")
		}
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func (s *scanner) lightNode() (lightNode, error) {
	var n lightNode
	err := s.object(func(name []byte) error {
		var err error
		switch string(name) {
		case "ID":
			n.ID, err = s.integer()
		case "Name":
			n.Name, err = s.text()
		case "Tags":
			n.Tags, err = list(s, nil, s.text)
		case "Online":
			n.Online, err = s.optionalBool()
		default:
			err = s.skip()
		}
		return err
	})
	return n, err
}

// nodes reads a list of nodes as list does, except where a cached frame begins at one of its entries: a frame whose
// entries an earlier scan read whole is not read again, and one never scanned is remembered once read. In a fleet's
// first connect every stream's complete map is mostly the same few hundred runs of peers.
func (s *scanner) nodes(out []lightNode) ([]lightNode, error) {
	if s.null() {
		return nil, nil
	}
	if out == nil {
		out = []lightNode{}
	}
	// a frame being read for the first time: where it ends, and where its entries begin in out
	var reading *cachedFrame
	var end, from int
	err := s.array(func() error {
		// runs read before come first: each ends with a comma, so an entry of its own always follows
		for {
			s.ws()
			if reading != nil && s.i >= end {
				// whole only when its last byte was the comma before this entry
				e := &frameEntries{whole: s.i == end}
				if e.whole {
					e.nodes = slices.Clone(out[from:])
				}
				reading.entries.CompareAndSwap(nil, e)
				reading = nil
			}
			f := s.frameAt(s.i)
			if f == nil || reading != nil {
				break
			}
			e := f.entries.Load()
			if e == nil {
				reading, end, from = f, s.i+len(f.plain), len(out)
				break
			}
			if !e.whole {
				break
			}
			out = append(out, e.nodes...)
			s.i += len(f.plain)
		}
		n, err := s.lightNode()
		out = append(out, n)
		return err
	})
	if err == nil && reading != nil {
		// the list ended inside the frame: not a run of entries each with its comma
		reading.entries.CompareAndSwap(nil, &frameEntries{})
	}
	return out, err
}

// frameAt answers the cached frame that begins at i, if one does; i only grows while a document is read.
func (s *scanner) frameAt(i int) *cachedFrame {
	for s.frame < len(s.frames) && s.frames[s.frame].at < i {
		s.frame++
	}
	if s.frame < len(s.frames) && s.frames[s.frame].at == i {
		return s.frames[s.frame].f
	}
	return nil
}

// patch reads one PeerChange, or null as nil.
func (s *scanner) patch() (*lightPatch, error) {
	if s.null() {
		return nil, nil
	}
	var p lightPatch
	err := s.object(func(name []byte) error {
		var err error
		switch string(name) {
		case "NodeID":
			p.NodeID, err = s.integer()
		case "Online":
			p.Online, err = s.optionalBool()
		default:
			err = s.skip()
		}
		return err
	})
	return &p, err
}

// onlineChange reads {"<node id>": bool, ...}.
func (s *scanner) onlineChange() (map[int64]bool, error) {
	if s.null() {
		return nil, nil
	}
	m := map[int64]bool{}
	err := s.object(func(name []byte) error {
		id, err := strconv.ParseInt(string(name), 10, 64)
		if err != nil {
			return s.fail(fmt.Sprintf("OnlineChange: node id %q", name))
		}
		m[id], err = s.boolean()
		return err
	})
	return m, err
}

// list reads an array of what item reads onto out[:0] (nil: a new slice); null is nil, [] is empty but not nil (as
// encoding/json does).
func list[T any](s *scanner, out []T, item func() (T, error)) ([]T, error) {
	if s.null() {
		return nil, nil
	}
	if out == nil {
		out = []T{}
	}
	err := s.array(func() error {
		v, err := item()
		out = append(out, v)
		return err
	})
	return out, err
}

// nodeLists holds peer lists between responses: growing a new one to 5,000 peers for every full map was a tenth of
// the generator's CPU in a 5,000-node connect. A response is applied right after it is decoded (then released),
// so a few lists serve every stream.
var nodeLists = make(chan []lightNode, 8)

func takeNodes() []lightNode {
	select {
	case l := <-nodeLists:
		return l[:0]
	default:
		return nil
	}
}

func giveNodes(l []lightNode) {
	if l == nil {
		return
	}
	clear(l[:cap(l)]) // the names and tags it points to may go, also those of a longer list before
	select {
	case nodeLists <- l:
	default:
	}
}

// release gives the response's peer lists back for the next response; r is not used after.
func (r *lightResponse) release() {
	giveNodes(r.Peers)
	giveNodes(r.PeersChanged)
	r.Peers, r.PeersChanged = nil, nil
}

// scanner walks one JSON document in b; i is the next byte to read.
type scanner struct {
	b []byte
	i int
	// the cached frames in b, in order, and the first not yet passed
	frames []decodedFrame
	frame  int
}

var errEnd = errors.New("map frame: JSON ends early")

func (s *scanner) fail(what string) error {
	return fmt.Errorf("map frame: %s at byte %d", what, s.i)
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// next is the next byte that is not white space, not consumed; 0 at the end.
func (s *scanner) next() byte {
	s.ws()
	if s.i == len(s.b) {
		return 0
	}
	return s.b[s.i]
}

func (s *scanner) consume(c byte) error {
	if s.next() != c {
		if s.i == len(s.b) {
			return errEnd
		}
		return s.fail(fmt.Sprintf("want %q", c))
	}
	s.i++
	return nil
}

// literal consumes word (true, false, null) if it comes next.
func (s *scanner) literal(word string) bool {
	if s.next() == word[0] && bytes.HasPrefix(s.b[s.i:], []byte(word)) {
		s.i += len(word)
		return true
	}
	return false
}

func (s *scanner) null() bool { return s.literal("null") }

// object reads {"name": value, ...}, member reading (or skipping) each value.
func (s *scanner) object(member func(name []byte) error) error {
	if err := s.consume('{'); err != nil {
		return err
	}
	if s.next() == '}' {
		s.i++
		return nil
	}
	for {
		if s.next() != '"' {
			return s.fail("want a member name")
		}
		raw, err := s.rawString()
		if err != nil {
			return err
		}
		name := raw[1 : len(raw)-1]
		if bytes.IndexByte(name, '\\') >= 0 {
			if name, err = jsontext.AppendUnquote(nil, raw); err != nil {
				return s.fail("member name: " + err.Error())
			}
		}
		if err := s.consume(':'); err != nil {
			return err
		}
		if err := member(name); err != nil {
			return err
		}
		switch s.next() {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return s.fail("want , or } in an object")
		}
	}
}

// array reads [value, ...], item reading each.
func (s *scanner) array(item func() error) error {
	if err := s.consume('['); err != nil {
		return err
	}
	if s.next() == ']' {
		s.i++
		return nil
	}
	for {
		if err := item(); err != nil {
			return err
		}
		switch s.next() {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return s.fail("want , or ] in an array")
		}
	}
}

// rawString consumes a string and answers it with its quotes, escapes as they are.
func (s *scanner) rawString() ([]byte, error) {
	start := s.i
	if s.next() != '"' {
		return nil, s.fail("want a string")
	}
	j := s.i + 1
	for {
		k := bytes.IndexByte(s.b[j:], '"')
		if k < 0 {
			return nil, errEnd
		}
		j += k
		// the quote ends the string unless an odd number of backslashes comes before it
		escapes := 0
		for b := j - 1; b > s.i && s.b[b] == '\\'; b-- {
			escapes++
		}
		j++
		if escapes%2 == 0 {
			break
		}
	}
	s.i = j
	return s.b[start:j], nil
}

// text reads a string value (null as ""), escapes resolved and checked.
func (s *scanner) text() (string, error) {
	if s.null() {
		return "", nil
	}
	raw, err := s.rawString()
	if err != nil {
		return "", err
	}
	v, err := jsontext.AppendUnquote(nil, raw)
	if err != nil {
		return "", s.fail("string: " + err.Error())
	}
	return string(v), nil
}

func (s *scanner) boolean() (bool, error) {
	switch {
	case s.literal("true"):
		return true, nil
	case s.literal("false"), s.literal("null"):
		return false, nil
	}
	return false, s.fail("want a bool")
}

// optionalBool reads a bool, or null as nil.
func (s *scanner) optionalBool() (*bool, error) {
	if s.null() {
		return nil, nil
	}
	on, err := s.boolean()
	if err != nil {
		return nil, err
	}
	return &on, nil
}

func (s *scanner) integer() (int64, error) {
	s.ws()
	start := s.i
	for s.i < len(s.b) && (s.b[s.i] == '-' || s.b[s.i] >= '0' && s.b[s.i] <= '9') {
		s.i++
	}
	v, err := strconv.ParseInt(string(s.b[start:s.i]), 10, 64)
	if err != nil {
		s.i = start
		return 0, s.fail("want an integer")
	}
	return v, nil
}

// skip consumes one value of any kind without looking inside its strings.
func (s *scanner) skip() error {
	switch c := s.next(); c {
	case '"':
		_, err := s.rawString()
		return err
	case '{':
		return s.object(func([]byte) error { return s.skip() })
	case '[':
		return s.array(s.skip)
	case 't':
		if s.literal("true") {
			return nil
		}
	case 'f':
		if s.literal("false") {
			return nil
		}
	case 'n':
		if s.null() {
			return nil
		}
	case 0:
		return errEnd
	default:
		if c == '-' || c >= '0' && c <= '9' {
			s.i++
			for s.i < len(s.b) && isNumberByte(s.b[s.i]) {
				s.i++
			}
			return nil
		}
	}
	return s.fail("want a value")
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}
