package exports_test

import (
	"context"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/exports"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// runExport runs an export with the checkpoint store as its state, as the
// CLI does.
func runExport(ctx context.Context, api *inteliquent.Client, reg *exports.Registry, o exports.Options) (exports.Result, error) {
	if o.OpenState == nil {
		o.OpenState = openState
	}
	if o.RunOrders == nil {
		o.RunOrders = runOrders
	}
	return exports.Run(ctx, api, reg, o)
}

func openState(ctx context.Context, path string) (exports.State, error) {
	return checkpoints.OpenLocked(ctx, path)
}

func runOrders(ctx context.Context, dir string) ([]record.Order, error) {
	return checkpoints.RunOrders(ctx, dir)
}
