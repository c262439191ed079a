package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newCheckCmd(e *env) *cobra.Command {
	var o connectOptions
	var probes int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check credentials, healthCheck and the account's references before a first run (reads only)",
		Long: `check verifies, reading only: the credentials (an OAuth2 token is fetched),
healthCheck, the counts of the account's trunk groups, routing labels and
messaging campaigns, and the rate the account answers at (--probes
back-to-back requests through the --rate limiter). Exit 0 when every check
passes, 1 otherwise.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if probes < 0 || probes > 100 {
				return withCode(ExitUsage, fmt.Errorf("--probes %d: want 0 to 100", probes))
			}
			log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			conn, err := connect(cmd.Context(), e, o, log)
			if err != nil {
				return err
			}
			defer conn.Close()
			rep, err := conn.API.Preflight(cmd.Context(), probes)
			if err != nil {
				return withCode(ExitInterrupted, err)
			}
			if asJSON {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(struct {
					Endpoint string `json:"endpoint"`
					OK       bool   `json:"ok"`
					Report   any    `json:"report"`
				}{conn.Endpoint, rep.OK(), rep}); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(e.stdout, "endpoint: %s\n", conn.Endpoint)
				tw := tabwriter.NewWriter(e.stdout, 4, 4, 2, ' ', 0)
				for _, c := range rep.Checks {
					mark := "ok"
					if !c.OK {
						mark = "FAILED"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Name, mark, c.Detail)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
			}
			if !rep.OK() {
				return withCode(ExitRowsNotOK, errors.New("some checks failed"))
			}
			return nil
		},
	}
	addConnectFlags(cmd, &o.Endpoint, &o.Connection)
	cmd.Flags().IntVar(&probes, "probes", 10, "back-to-back requests sent to measure the rate the account answers at (0 to 100)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}
