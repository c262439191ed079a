package jobs

// all lists every job kind iqbulk ships. Adding a kind: write its file and
// add it here.
func all() []Job {
	return []Job{
		tnOrder{},
		tnNote{},
	}
}
