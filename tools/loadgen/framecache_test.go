// SPDX-License-Identifier: Apache-2.0
package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/klauspost/compress/zstd"
)

func TestCachedFramesDecodeToWhatTheyHold(t *testing.T) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		t.Fatal(err)
	}
	content := func(from, n int) []byte {
		var b bytes.Buffer
		for i := from; i < from+n; i++ {
			fmt.Fprintf(&b, `{"ID":%d,"Key":"nodekey:%x"},`, i, sha256.Sum256([]byte{byte(i), byte(i >> 8)}))
		}
		return b.Bytes()
	}
	small := []byte(`{"KeepAlive":true}`)
	run1, run2, run3 := content(0, 64), content(64, 64), content(128, 64)
	c := newFrameCache()
	decode := func(parts ...[]byte) {
		t.Helper()
		var payload, want []byte
		for _, p := range parts {
			payload = enc.EncodeAll(p, payload)
			want = append(want, p...)
		}
		got, _, err := c.appendDecoded([]byte("before:"), payload, nil)
		if err != nil || !bytes.Equal(got, append([]byte("before:"), want...)) {
			t.Fatalf("decoded %q, err %v", got, err)
		}
	}

	decode(small, run1, run2)
	if h, m := c.counts(); h != 0 || m != 2 {
		t.Fatalf("first message: %d from the cache, %d decoded; want 0 and 2 (the small frame is not looked up)", h, m)
	}
	decode(run2, small, run3, run1)
	if h, m := c.counts(); h != 2 || m != 3 {
		t.Fatalf("second message: %d from the cache, %d decoded in all; want 2 and 3", h, m)
	}
	// a frame one byte apart from a cached one is its own
	other := bytes.Replace(run3, []byte(`"ID":130`), []byte(`"ID":131`), 1)
	decode(other)
	if h, m := c.counts(); h != 2 || m != 4 {
		t.Fatalf("changed frame: %d from the cache, %d decoded in all; want 2 and 4", h, m)
	}
	if _, _, err := c.appendDecoded(nil, []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00}, nil); err == nil {
		t.Fatal("a truncated frame decoded")
	}
}
