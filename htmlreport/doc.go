// Package htmlreport renders a run's (or an export's) report.html: one
// self-contained file, inline CSS and SVG, no script, font or image from
// anywhere else, so it reads offline and when mailed, prints on paper, and
// gives every chart a text alternative (a title, a description and the same
// numbers as a table). It knows nothing of checkpoints or logs: the caller
// gathers a Data and Write renders it.
package htmlreport
