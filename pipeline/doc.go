// Package pipeline runs a job: it reads and validates a manifest, plans the
// rows into batches in the checkpoint, and sends the batches through a pool
// of workers sharing one rate limiter, committing each batch's intent before
// it is sent and its outcome right after the answer. A batch whose answer was
// lost is reconciled against the API before anything is sent again, so an
// interrupted run — by Ctrl-C, SIGKILL or a lost connection — resumes without
// sending a state-changing request twice. Results files are rebuilt from the
// checkpoint, so they are complete after any number of crashes.
//
// The flow, as in DESIGN.md:
//
//	manifest --readers--> rows --job.Parse--> invalid rows straight to results
//	   --plan (job's batch policy, <= 100 numbers, grouped)--> batches in state.db
//	   --intent committed--> rate limiter --> workers --> job.Send --> API
//	   --job.Read--> one outcome per row --outcome committed--> writers
package pipeline
