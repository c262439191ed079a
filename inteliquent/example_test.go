package inteliquent_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/iqbulk/iqbulk/inteliquent"
)

// Order three numbers and read the per-number exclusions out of the status
// string. The server here stands in for the API.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/token" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"t","token_type":"bearer","expires_in":9223372036854775807}`)
			return
		}
		_, _ = io.WriteString(w, `{"status": "{2=[6123453624 TN is on an existing order]}", "statusCode": "200", "orderId": "null"}`)
	}))
	defer srv.Close()

	c, err := inteliquent.New(inteliquent.Config{BaseURL: srv.URL + "/Services/1.0.0", Key: "key", Secret: "secret"})
	if err != nil {
		panic(err)
	}
	req := &inteliquent.TnOrderRequest{}
	req.TnOrder.CustomerOrderReference = "run-20240101-b0001"
	for _, tn := range []inteliquent.TN{"6123453622", "6123453623", "6123453624"} {
		req.TnOrder.TnList.TnItem = append(req.TnOrder.TnList.TnItem, inteliquent.TnOrderItem{TN: tn, TrunkGroup: "CHCGIL24CL1_897"})
	}
	resp, err := c.TnOrder(context.Background(), req)
	switch {
	case inteliquent.IsAmbiguous(err):
		fmt.Println("reconcile before resending")
		return
	case err != nil:
		fmt.Println(err)
		return
	}
	fmt.Printf("orderId %q\n", resp.OrderID)
	for _, e := range resp.TNStatus().Entries {
		fmt.Println(e.TN, "excluded:", e.Reason)
	}

	// In dry run nothing state-changing is sent.
	dry, _ := inteliquent.New(inteliquent.Config{BaseURL: srv.URL + "/Services/1.0.0", Key: "key", DryRun: true})
	_, err = dry.TnOrder(context.Background(), req)
	fmt.Println(errors.Is(err, inteliquent.ErrDryRun))
	// Output:
	// orderId ""
	// 6123453624 excluded: TN is on an existing order
	// true
}
