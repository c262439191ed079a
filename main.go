// Command iqbulk is a bulk batch/ETL job runner for the Inteliquent Services API.
package main

import (
	"os"

	"github.com/iqbulk/iqbulk/cli"
)

func main() {
	cli.TuneGC = true // one command per process: a run may tune the collector
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
