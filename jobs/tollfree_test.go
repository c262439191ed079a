package jobs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

func tfRowOf(m map[string]string) Row {
	return Row{Line: 2, Get: func(c string) string { return m[c] }}
}

func TestTollFreeParse(t *testing.T) {
	loa := filepath.Join(t.TempDir(), "loa.pdf")
	require.NoError(t, os.WriteFile(loa, []byte("%PDF"), 0o600))
	empty := filepath.Join(t.TempDir(), "empty.pdf")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	tests := []struct {
		name    string
		job     Job
		row     map[string]string
		errCols []string
		check   func(t *testing.T, p Parsed)
	}{
		{"8XX ok", tfOrderJob{}, map[string]string{"tn": "1 (888) 555-0100", "product": "8xx", "resporg_id": "iqb01", "routing_label": "L", "cic_list": "0913; 0222"}, nil,
			func(t *testing.T, p Parsed) {
				assert.Equal(t, "8885550100", p.Key)
				assert.Equal(t, "8XX", p.Fields["product"])
				assert.Equal(t, "IQB01", p.Fields["resporg_id"])
				assert.Equal(t, "0913,0222", p.Fields["cic_list"])
				assert.Equal(t, "8XX|", p.Group)
			}},
		{"not toll-free", tfOrderJob{}, map[string]string{"tn": "3125550100", "product": "8XX", "resporg_id": "IQB01", "routing_label": "L"}, []string{"tn"}, nil},
		{"8XX needs resporg", tfOrderJob{}, map[string]string{"tn": "8885550100", "product": "8XX", "routing_label": "L"}, []string{"resporg_id"}, nil},
		{"resporg five characters", tfOrderJob{}, map[string]string{"tn": "8885550100", "product": "8XX", "resporg_id": "ABC", "routing_label": "L"}, []string{"resporg_id"}, nil},
		{"unknown product, no label, bad CIC", tfOrderJob{}, map[string]string{"tn": "8885550100", "product": "9XX", "cic_list": "913"}, []string{"product", "routing_label", "cic_list"}, nil},
		{"port needs LOA", tfOrderJob{}, map[string]string{"tn": "8887000100", "product": "8XXPORTIN", "routing_label": "L"}, []string{"loa_file"}, nil},
		{"port LOA empty file", tfOrderJob{}, map[string]string{"tn": "8887000100", "product": "8XXPORTIN", "routing_label": "L", "loa_file": empty}, []string{"loa_file"}, nil},
		{"port with LOA column", tfOrderJob{}, map[string]string{"tn": "8887000100", "product": "8XXPORTIN", "routing_label": "L", "loa_file": loa}, nil,
			func(t *testing.T, p Parsed) { assert.Equal(t, "8XXPORTIN|"+loa, p.Group) }},
		{"port with --loa", tfOrderJob{loa: loa}, map[string]string{"tn": "8887000100", "product": "8XXPORTIN", "routing_label": "L"}, nil,
			func(t *testing.T, p Parsed) { assert.Equal(t, loa, p.Fields["loa_file"]) }},
		{"LOA only for port", tfOrderJob{}, map[string]string{"tn": "8885550100", "product": "8XXAVAIL", "routing_label": "L", "loa_file": loa}, []string{"loa_file"}, nil},
		{"calling name rule", tfOrderJob{}, map[string]string{"tn": "8885550100", "product": "8XXAVAIL", "routing_label": "L", "calling_name": "12345"}, []string{"calling_name"}, nil},
		{"routing needs label", tfRouting{}, map[string]string{"tn": "8885550100"}, []string{"routing_label"}, nil},
		{"feature needs a feature", tfFeatureJob{}, map[string]string{"tn": "8885550100"}, []string{"calling_name"}, nil},
		{"feature removal", tfFeatureJob{}, map[string]string{"tn": "8885550100", "remove_e911": "yes"}, nil,
			func(t *testing.T, p Parsed) { assert.Equal(t, "Y", p.Fields["remove_e911"]) }},
		{"forward needs a target", forwardJob{tollFree: true}, map[string]string{"tn": "8885550100"}, []string{"forward_to"}, nil},
		{"forward both", forwardJob{}, map[string]string{"tn": "3125550100", "forward_to": "3125550101", "remove_forward": "Y"}, []string{"remove_forward"}, nil},
		{"forward to itself", forwardJob{}, map[string]string{"tn": "3125550100", "forward_to": "312-555-0100"}, []string{"forward_to"}, nil},
		{"forward bad target", forwardJob{}, map[string]string{"tn": "3125550100", "forward_to": "12"}, []string{"forward_to"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, errs := tt.job.Parse(tfRowOf(tt.row))
			var cols []string
			for _, e := range errs {
				var fe *readers.FieldError
				require.True(t, errors.As(e, &fe), "%v", e)
				cols = append(cols, fe.Column)
			}
			assert.ElementsMatch(t, tt.errCols, cols, "%v", errs)
			if tt.check != nil {
				tt.check(t, p)
			}
		})
	}
}

// TestTfOrderLOARelativeToManifest: a relative loa_file is read from the
// manifest's folder (Row.Dir), whatever the working directory.
func TestTfOrderLOARelativeToManifest(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "papers"), 0o700))
	loa := filepath.Join(dir, "papers", "loa.pdf")
	require.NoError(t, os.WriteFile(loa, []byte("%PDF"), 0o600))
	m := map[string]string{"tn": "8887000100", "product": "8XXPORTIN", "routing_label": "L", "loa_file": "papers/loa.pdf"}
	r := Row{Line: 2, Dir: dir, Get: func(c string) string { return m[c] }}
	p, errs := tfOrderJob{}.Parse(r)
	require.Empty(t, errs)
	assert.Equal(t, loa, p.Fields["loa_file"])
}

func TestTfOrderBuildAndRead(t *testing.T) {
	b := &Batch{ID: 3, CustomerOrderReference: "run-3", Rows: []record.Row{
		{Seq: 1, Key: "8446000100", Fields: map[string]string{"product": "8XXAVAIL", "routing_label": "L", "cic_list": "0913,0222", "calling_name": "ACME"}},
		{Seq: 2, Key: "8446000101", Fields: map[string]string{"product": "8XXAVAIL", "routing_label": "L"}},
		{Seq: 3, Key: "8446000102", Fields: map[string]string{"product": "8XXAVAIL", "routing_label": "L"}},
	}}
	req, err := tfOrderJob{}.Build(b)
	require.NoError(t, err)
	c := req.(*tfOrderCall)
	assert.Equal(t, "8XXAVAIL", c.Req.ProductAbbr)
	assert.Empty(t, c.Req.TfOrder.Loa)
	assert.Equal(t, []string{"0913", "0222"}, c.Req.TfOrder.TnList.TnItem[0].CicList.Cic)
	assert.Equal(t, "ACME", c.Req.TfOrder.TnList.TnItem[0].TnFeature.CallerID.CallingName)
	assert.Nil(t, c.Req.TfOrder.TnList.TnItem[1].TnFeature)

	res := tfOrderJob{}.Read(b, &tfOrderSent{Order: &inteliquent.OrderResponse{Envelope: inteliquent.Envelope{
		Status: "{2=[8446000101 Exceeds the 8XXAVAIL limit of 100 numbers per month, 8446000102 TN is marked Not Available in our inventory]}", StatusCode: "200"}}})
	require.Len(t, res.Rows, 3)
	assert.Equal(t, record.StatusOK, res.Rows[0].Status)
	assert.Equal(t, record.StatusExcluded, res.Rows[1].Status)
	assert.Equal(t, CodeMonthlyCap, res.Rows[1].Code)
	assert.Equal(t, inteliquent.OpTfOrder, res.Rows[2].Code)
	assert.Empty(t, res.Orders, "8XXAVAIL makes no order")

	b.Rows[0].Fields["product"] = "8XX"
	_, err = tfOrderJob{}.Build(b)
	assert.Error(t, err, "one product per batch")
}

// runForwardSteps runs a forwarding batch's steps as RunSteps does, each
// answer through its JSON record, with send in place of the API.
func runForwardSteps(t *testing.T, j forwardJob, b *Batch, send func([]inteliquent.ForwardItem) (*inteliquent.OrderResponse, error)) (Result, int, error) {
	t.Helper()
	var (
		done []StepRecord
		res  Result
	)
	for {
		st, ok, err := j.NextStep(b, done)
		require.NoError(t, err)
		if !ok {
			return res, len(done), nil
		}
		again, _, err := j.NextStep(b, done)
		require.NoError(t, err)
		require.Equal(t, st, again, "a step is built the same way twice")
		resp, err := send(st.Req.(*forwardCall).Items)
		var rec StepRecord
		switch {
		case err == nil:
			rec, err = AnswerRecord(st, forwardAnswer{OrderID: string(resp.OrderID), Status: resp.Status})
			require.NoError(t, err)
		case Refusal(err):
			rec = RefusalRecord(st, err)
		default:
			return res, len(done), err
		}
		done = append(done, rec)
		res = MergeResults(res, j.StepResult(b, done))
	}
}

// The forwarding steps isolate the numbers a whole-request error is about.
func TestForwardStepsIsolateBadNumbers(t *testing.T) {
	var rows []record.Row
	for i, tn := range []string{"8000000001", "8000000002", "8000000003", "8000000004", "8000000005", "8000000006", "8000000007", "8000000008"} {
		rows = append(rows, record.Row{Seq: i + 1, Key: tn, Fields: map[string]string{"forward_to": "3125550100"}})
	}
	b := &Batch{ID: 1, CustomerOrderReference: "r-1", Rows: rows}
	notInService := map[string]bool{"8000000003": true, "8000000008": true}
	invalid := "8000000005"
	send := func(its []inteliquent.ForwardItem) (*inteliquent.OrderResponse, error) {
		for _, it := range its {
			if string(it.TN) == invalid {
				return nil, &inteliquent.APIError{Op: "tfForward", HTTPStatus: 200, Code: "409", Status: "Invalid TN submitted:[" + invalid + "]"}
			}
		}
		for _, it := range its {
			if notInService[string(it.TN)] {
				return nil, &inteliquent.APIError{Op: "tfForward", HTTPStatus: 200, Code: "432", Status: "TN is not in service"}
			}
		}
		return &inteliquent.OrderResponse{OrderID: "77", Envelope: inteliquent.Envelope{Status: "Success"}}, nil
	}
	res, calls, err := runForwardSteps(t, forwardJob{tollFree: true}, b, send)
	require.NoError(t, err)
	got := outcomesOf(res)
	require.Len(t, got, 8, "every row decided once")
	count := map[string]int{}
	for _, o := range got {
		count[o.Status]++
	}
	assert.Equal(t, map[string]int{"ok": 5, "excluded": 3}, count)
	assert.True(t, strings.HasPrefix(got[5].Message, "409"))
	assert.Equal(t, "432 TN is not in service", got[3].Message)
	assert.LessOrEqual(t, calls, 12, "bisection, not one request per number")

	// Another refusal fails the numbers of its request only; an error that
	// is not the API's answer ends the batch.
	res, _, err = runForwardSteps(t, forwardJob{}, b, func([]inteliquent.ForwardItem) (*inteliquent.OrderResponse, error) {
		return nil, &inteliquent.APIError{Op: "tnForward", HTTPStatus: 200, Code: "410", Status: "Invalid Request"}
	})
	require.NoError(t, err)
	for _, o := range outcomesOf(res) {
		assert.Equal(t, record.StatusFailed, o.Status)
		assert.Equal(t, "410", o.Code)
	}
	boom := errors.New("connection reset")
	_, _, err = runForwardSteps(t, forwardJob{}, b, func([]inteliquent.ForwardItem) (*inteliquent.OrderResponse, error) { return nil, boom })
	assert.ErrorIs(t, err, boom)
}

func TestReferences(t *testing.T) {
	p := Parsed{Key: "8885550100", Fields: map[string]string{"routing_label": "L1", "trunk_group": "TG"}}
	assert.Equal(t, []Reference{{Kind: RefRoutingLabel, Name: "L1", Column: "routing_label"}}, tfOrderJob{}.References(p))
	assert.Equal(t, []Reference{{Kind: RefTrunkGroup, Name: "TG", Column: "trunk_group"}}, tnOrder{}.References(p))
	assert.Nil(t, tnOrder{}.References(Parsed{Fields: map[string]string{}}), "an empty trunk group is not checked")
	assert.Nil(t, campaign{remove: true}.References(Parsed{Fields: map[string]string{"campaign_id": "C1"}}))
	assert.True(t, KnownReference(map[string]bool{"CXFXN8B": true}, Reference{Kind: RefCampaign, Name: "cxfxn8b"}))
	assert.False(t, KnownReference(map[string]bool{"TG": true}, Reference{Kind: RefTrunkGroup, Name: "tg"}), "trunk group names are exact")
}
