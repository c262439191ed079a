// Package inteliquent is a typed client for the Inteliquent Services API
// (spec/inteliquent-services-api-guide.txt, "the guide").
//
// Every operation has one method of the same shape,
//
//	func (c *Client) TnOrder(ctx context.Context, req *TnOrderRequest) (*TnOrderResponse, error)
//
// and every method goes through one unexported do, which:
//
//   - skips state-changing operations in dry run (errors.Is(err, ErrDryRun)),
//     logging "dry run: would send tnOrder with N numbers";
//   - adds "privateKey" (= Config.Key) to every JSON body (not healthCheck);
//   - authenticates with an OAuth2 client-credentials token (cached, refreshed
//     before one hour whatever expires_in says, and once more on a 401001
//     answer) or with HTTP Basic;
//   - paces attempts through a Limiter (Wait, Throttle, Success);
//   - turns the answer into nil or a typed error (*APIError, *RequestError)
//     sorted by what happens next: IsRetryable, IsAmbiguous, IsFatal;
//   - retries, bounded by Config.Retries, only what proves the request was
//     not applied (HTTP 429, HTTP 500/503 with a body, a "try again" 431,
//     connection refused) plus ambiguous failures of idempotent operations.
//     A non-idempotent operation (tnOrder, tnDisconnect, tnUpdate,
//     tnFeatureOrder, orderCancel, orderAddNote, tnReserve, tnRelease) that
//     loses its answer returns at once with IsAmbiguous(err) true, so the
//     caller reconciles before sending anything again.
//
// The facts that differ per operation (path, state-changing, idempotent,
// 430 = empty listing, meaning of 431) live in one table, ops.go.
//
// The guide sends numbers as strings or as JSON numbers, and orderId as the
// string "null"; TN, OrderID, FlexString and FlexInt (lenient.go) accept all
// forms. ParseTNStatus reads the per-number answers tnOrder hides in its
// status string. OrderListIter, TnDetailIter, TnDetailScroll and
// TnInventoryScroll walk paged listings as iter.Seq2 values; the *Pages
// variants yield whole pages (with page, totalPages, totalItems, searchId)
// for exporters that checkpoint a cursor.
//
// Where the guide contradicts itself, docs/api-quirks.md records what the
// client does.
package inteliquent
