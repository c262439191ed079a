package writers

import "strconv"

// ResultColumns are the outcome columns appended to a manifest row's own
// columns in results files ([ResultHeader], [Result.Cells]).
var ResultColumns = []string{"row", "status", "code", "message", "order_id", "customer_order_reference", "batch"}

// ExcludedColumns are the columns of the excluded report: one row per number
// (or feature, or E911 address) the API left out of an order
// ([Excluded.Cells]).
var ExcludedColumns = []string{"kind", "order_id", "customer_order_reference", "tn", "reason", "insert_date", "display_name", "e911_name", "e911_street_num", "e911_street_info", "e911_location", "e911_city", "e911_state", "e911_postal_code", "e911_postal_code_plus_four"}

// resultPrefix renames an outcome column that a manifest already uses.
const resultPrefix = "iqbulk_"

// ResultHeader returns the header of a results file: the manifest's columns
// followed by [ResultColumns]. An outcome column whose name the manifest
// already uses is renamed "iqbulk_<name>" (repeatedly, until unique), so the
// manifest's own column survives and a Table accepts the header.
func ResultHeader(manifest []string) []string {
	h := make([]string, 0, len(manifest)+len(ResultColumns))
	h = append(h, manifest...)
	used := make(map[string]struct{}, cap(h))
	for _, c := range manifest {
		used[c] = struct{}{}
	}
	for _, c := range ResultColumns {
		for {
			if _, dup := used[c]; !dup {
				break
			}
			c = resultPrefix + c
		}
		used[c] = struct{}{}
		h = append(h, c)
	}
	return h
}

// Result holds the outcome columns of one results row, in the order of
// [ResultColumns].
type Result struct {
	Row                    int    // manifest line number
	Status                 string // ok, excluded, invalid, failed, pending, skipped
	Code                   string // API statusCode or validation code
	Message                string
	OrderID                string
	CustomerOrderReference string
	Batch                  string
}

// Cells returns the manifest row's cells followed by r's outcome cells,
// matching [ResultHeader] of the manifest's header.
func (r Result) Cells(manifestRow []string) []string {
	c := make([]string, 0, len(manifestRow)+len(ResultColumns))
	c = append(c, manifestRow...)
	return append(c, strconv.Itoa(r.Row), r.Status, r.Code, r.Message, r.OrderID, r.CustomerOrderReference, r.Batch)
}

// Excluded is one row of the excluded report, in the order of
// [ExcludedColumns]; the E911 fields are filled from excludedE911Detail.
type Excluded struct {
	Kind                   string // tn, feature, e911
	OrderID                string
	CustomerOrderReference string
	TN                     string
	Reason                 string
	InsertDate             string
	DisplayName            string
	E911Name               string
	E911StreetNum          string
	E911StreetInfo         string
	E911Location           string
	E911City               string
	E911State              string
	E911PostalCode         string
	E911PostalCodePlusFour string
}

// Cells returns e's cells in the order of [ExcludedColumns].
func (e Excluded) Cells() []string {
	return []string{e.Kind, e.OrderID, e.CustomerOrderReference, e.TN, e.Reason, e.InsertDate, e.DisplayName,
		e.E911Name, e.E911StreetNum, e.E911StreetInfo, e.E911Location, e.E911City, e.E911State,
		e.E911PostalCode, e.E911PostalCodePlusFour}
}
