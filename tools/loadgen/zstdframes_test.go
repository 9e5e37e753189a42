// SPDX-License-Identifier: Apache-2.0
package main

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"

	"github.com/klauspost/compress/zstd"
	"tailscale.com/util/zstdframe"
)

// The server sends a large map as many zstd frames (runs of shared peer entries compressed once) and leaves the
// content size out of their headers (gateway MapFrames). This is why, measured with the decoder every client
// uses: given sizes, DecodeAll grows its output to exactly what it holds plus the next frame's size, copying all
// it decoded before, once per frame: quadratic in the frames. Without sizes it appends (here 5 times the output
// allocated in all, against 50 times with sizes).
func TestManyFramesDecodeInLinearMemoryOnlyWithoutContentSizes(t *testing.T) {
	var plain []byte
	var sized, unsized []byte
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		t.Fatal(err)
	}
	for f := 0; f < 100; f++ {
		var run bytes.Buffer
		for i := 0; i < 64; i++ {
			fmt.Fprintf(&run, `{"ID":%d,"Key":"nodekey:%064x","Online":true},`, f*64+i, f*64+i)
		}
		plain = append(plain, run.Bytes()...)
		frame := enc.EncodeAll(run.Bytes(), nil) // EncodeAll writes the frame's content size
		sized = append(sized, frame...)
		unsized = append(unsized, withoutContentSize(t, frame)...)
	}
	allocated := func(payload []byte) uint64 {
		zstdframe.AppendDecode(nil, payload) // the pooled decoder exists before measuring
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got, err := zstdframe.AppendDecode(nil, payload) // as controlclient decodes a map message
		runtime.ReadMemStats(&after)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("decoded %d bytes, err %v", len(got), err)
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	withSizes, withoutSizes := allocated(sized), allocated(unsized)
	t.Logf("%d bytes in 100 frames: %d allocated with content sizes, %d without", len(plain), withSizes, withoutSizes)
	if withoutSizes > 10*uint64(len(plain)) {
		t.Errorf("without content sizes: %d bytes allocated for %d decoded", withoutSizes, len(plain))
	}
	if withSizes < 25*uint64(len(plain)) {
		t.Errorf("with content sizes only %d bytes allocated for %d decoded: the server could send them", withSizes, len(plain))
	}
}

// withoutContentSize rewrites a frame's header (RFC 8878 3.1.1.1) as the server's encoder writes it for a message
// of several frames: no Frame_Content_Size, so not Single_Segment either, and a Window_Descriptor instead (128 KB,
// more than a 64-entry run holds). The blocks stay as they are.
func withoutContentSize(t testing.TB, frame []byte) []byte {
	descriptor := frame[4]
	if descriptor&0x03 != 0 || descriptor&0x08 != 0 {
		t.Fatalf("frame with a dictionary id or reserved bit: %08b", descriptor)
	}
	single := descriptor&0x20 != 0
	fcs := [4]int{0, 2, 4, 8}[descriptor>>6]
	if fcs == 0 && single {
		fcs = 1
	}
	at := 5
	if !single {
		at++ // the window descriptor
	}
	out := append([]byte{}, frame[:4]...)
	out = append(out, descriptor&0x04) // only the checksum flag kept
	out = append(out, (17-10)<<3)      // window log 17: 128 KB
	return append(out, frame[at+fcs:]...)
}
