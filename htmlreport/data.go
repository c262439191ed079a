package htmlreport

import "time"

// Data is everything a report shows. Slices are bounded by the caller (top
// reasons, the first orders, time buckets), so a report of a 1,000,000-row
// run is as small as one of 10 rows.
type Data struct {
	Kind      string // "run" or "export"
	Title     string // e.g. "tn-order run tn-order-20261202T…"
	Generated time.Time

	Job, RunID, State, Endpoint string
	DryRun                      bool
	Started, Finished           time.Time
	Manifest                    string
	Settings                    []Setting

	Rows     int
	Outcomes []Count // in the order to show, zero counts included
	Reasons  []Reason

	Timeline Timeline

	Orders      []Count // orders by status
	OrderList   []Order // the first orders
	OrdersTotal int

	Files []File // the files beside report.html

	// Undo says how the run can be rolled back (iqbulk undo), or why it
	// cannot; Undoes names the run this run undid, if any.
	Undo, Undoes string
}

// Setting is one recorded setting of the run.
type Setting struct{ Name, Value string }

// Count is a named count.
type Count struct {
	Name string
	N    int
}

// Reason is why rows ended with a status.
type Reason struct {
	Status, Code, Message string
	Rows                  int
	Examples              []string // "line 12 (2013350101)"
}

// Timeline is the run's traffic over time, in equal buckets.
type Timeline struct {
	Start   time.Time
	Bucket  time.Duration
	Points  []Point
	Source  string // where the numbers come from, said under the charts
	Overall Point  // totals: Requests and Rows are counts, latencies over all requests
}

// Point is one bucket.
type Point struct {
	Requests  int     // requests answered in the bucket
	Rows      int     // rows decided in the bucket
	P50, P95  float64 // latency in milliseconds (0 = no request)
	Throttled int     // answers that asked iqbulk to slow down
	Retries   int     // requests sent again
}

// Order is one order the run placed.
type Order struct {
	ID, Reference, Status string
	Final                 bool
	Polls                 int
}

// File is a file beside the report.
type File struct {
	Name, Role string
}
