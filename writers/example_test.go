package writers_test

import (
	"fmt"
	"os"

	"github.com/iqbulk/iqbulk/writers"
)

// A results file: the manifest's columns, then the outcome columns.
// Formula-looking cells are quoted; Unneutralize reads them back.
func ExampleNewCSV() {
	manifest := []string{"tn", "note"}
	t := writers.NewCSV(os.Stdout, writers.WithoutBOM())
	if err := t.WriteHeader(writers.ResultHeader(manifest)); err != nil {
		fmt.Println(err)
		return
	}
	res := writers.Result{Row: 2, Status: "excluded", Code: "200", Message: "TN is on an existing order", Batch: "1"}
	if err := t.WriteRow(res.Cells([]string{"+13125550100", "=1+1"})); err != nil {
		fmt.Println(err)
		return
	}
	if err := t.Close(); err != nil {
		fmt.Println(err)
	}
	fmt.Println(writers.Unneutralize("'+13125550100"))
	// Output:
	// tn,note,row,status,code,message,order_id,customer_order_reference,batch
	// '+13125550100,'=1+1,2,excluded,200,TN is on an existing order,,,1
	// +13125550100
}

// JSON lines keep the header's order and the values as they are.
func ExampleNewJSONL() {
	t := writers.NewJSONL(os.Stdout)
	_ = t.WriteHeader([]string{"tn", "status"})
	_ = t.WriteRow([]string{"+13125550100", "ok"})
	_ = t.Close()
	// Output:
	// {"tn":"+13125550100","status":"ok"}
}
