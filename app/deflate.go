package app

// A deflate writer that compresses on every core: the stream is cut into
// chunks compressed side by side, each ending on a byte boundary (a flush)
// but the last, and written out in order. The chunks joined are one valid
// deflate stream, as a single writer would make it but for the few bytes
// each cut costs: the .xlsx of a large export is compressed in a fraction
// of the time. archive/zip computes the checksum of what goes in itself.

import (
	"bytes"
	"compress/flate"
	"io"
	"runtime"
	"sync"
)

// deflateChunk is how much of the stream one chunk takes.
const deflateChunk = 1 << 20

var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

// parallelDeflate is the writer; newParallelDeflate starts it.
type parallelDeflate struct {
	out     io.Writer
	buf     []byte
	results chan chan []byte // each chunk's result, in the stream's order
	sem     chan struct{}    // the chunks being compressed
	done    chan struct{}
	err     error // the first error writing out; read after done
}

func newParallelDeflate(out io.Writer) *parallelDeflate {
	n := max(1, runtime.GOMAXPROCS(0))
	d := &parallelDeflate{out: out, results: make(chan chan []byte, 2*n), sem: make(chan struct{}, n),
		done: make(chan struct{})}
	go func() {
		defer close(d.done)
		for r := range d.results {
			b := <-r
			if d.err == nil {
				_, d.err = out.Write(b)
			}
		}
	}()
	return d
}

func (d *parallelDeflate) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if d.buf == nil {
			d.buf = make([]byte, 0, deflateChunk)
		}
		k := min(len(p), deflateChunk-len(d.buf))
		d.buf = append(d.buf, p[:k]...)
		p = p[k:]
		if len(d.buf) == deflateChunk {
			d.compress(d.buf, false)
			d.buf = nil
		}
	}
	return n, nil
}

// compress starts compressing chunk, the last one when final.
func (d *parallelDeflate) compress(chunk []byte, final bool) {
	r := make(chan []byte, 1)
	d.sem <- struct{}{}
	d.results <- r
	go func() {
		defer func() { <-d.sem }()
		var b bytes.Buffer
		b.Grow(len(chunk) / 4)
		w := deflaters.Get().(*flate.Writer)
		w.Reset(&b)
		w.Write(chunk) // writes to a bytes.Buffer: no error
		if final {
			w.Close()
		} else {
			w.Flush()
		}
		deflaters.Put(w)
		r <- b.Bytes()
	}()
}

// Close compresses the rest, ends the stream and waits for it to be written.
func (d *parallelDeflate) Close() error {
	d.compress(d.buf, true)
	d.buf = nil
	close(d.results)
	<-d.done
	return d.err
}
