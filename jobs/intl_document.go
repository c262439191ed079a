package jobs

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// intlDocument attaches documents to international orders
// (intlOrderAddDocument) or to numbers on them (intlTnAddDocument, with
// the document's conditionName, e.g. "Proof of in region address"), one
// file per row. The file is named in the manifest, relative to the
// manifest's folder (or --documents-dir); its existence, size and type are
// checked when the row is read, so a bad row is invalid and nothing is
// sent. Not idempotent (a resend attaches a second copy): a lost answer on
// an order document is reconciled with intlOrderDocument; the guide has
// no operation that lists a number's documents, so such a row stays in
// doubt and is never sent again blindly.
type intlDocument struct {
	dir string
}

// OptDocumentsDir is the job option naming the folder document paths are
// relative to (default: the manifest's folder, set by iqbulk run).
const OptDocumentsDir = "documents-dir"

// IntlDocumentMaxBytes is the largest file intl-document sends. The guide
// names no limit; the sandbox refuses more than 5 MB.
const IntlDocumentMaxBytes = 5 << 20

// intlDocumentTypes maps the extensions intl-document sends to their MIME
// types (the guide's examples: application/pdf, image/jpeg, image/png,
// text/plain).
var intlDocumentTypes = map[string]string{
	".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
	".tif": "image/tiff", ".tiff": "image/tiff", ".txt": "text/plain", ".doc": "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

var (
	_ Reconciler   = intlDocument{}
	_ Optioner     = intlDocument{}
	_ Irreversible = intlDocument{}
)

// TakesOption reports whether j declares the job option name.
func TakesOption(j Job, name string) bool {
	o, ok := j.(Optioner)
	if !ok {
		return false
	}
	for _, s := range o.Options() {
		if s.Name == name {
			return true
		}
	}
	return false
}

func (intlDocument) Options() []OptionSpec {
	return []OptionSpec{{Name: OptDocumentsDir, Help: "intl-document: folder the file column's paths are relative to (default: the manifest's folder)"}}
}

func (j intlDocument) WithOptions(opts map[string]string) (Job, error) {
	if v := strings.TrimSpace(opts[OptDocumentsDir]); v != "" {
		abs, err := filepath.Abs(v)
		if err != nil {
			return nil, fmt.Errorf("--%s: %w", OptDocumentsDir, err)
		}
		j.dir = abs
	}
	return j, nil
}

func (intlDocument) Spec() Spec {
	return Spec{
		Name:       "intl-document",
		Summary:    "attach documents to international orders (intlOrderAddDocument) or their numbers (intlTnAddDocument, with the condition they satisfy); files checked before sending",
		Operations: []string{inteliquent.OpIntlTnAddDocument, inteliquent.OpIntlOrderAddDocument, inteliquent.OpIntlOrderDocument},
		Columns: []Column{
			col("order_id", false, "the international order (or customer_order_reference)", "1521001", "orderid", "order id", "order", "order number"),
			col("customer_order_reference", false, "the order's customerOrderReference (when order_id is empty)", "", "customerorderreference", "order reference", "reference"),
			col("tn", false, "a number on the order (empty: the document is the order's)", "4930400000", "telephone number", "number"),
			col("country_ref", false, "ISO3 country of tn (required with tn)", "DEU", "countryref", "country"),
			col("condition_name", false, "the requirement the document satisfies (required with tn), e.g. Proof of in region address", "Proof of in region address", "conditionname", "condition"),
			col("file", true, "the document: a path relative to the manifest's folder (PDF, JPEG, PNG, GIF, TIFF, TXT, DOC, DOCX; at most 5 MB)", "proof-of-address.pdf", "file name", "filename", "document", "path"),
		},
		Outputs:   []string{"document_id"},
		BatchSize: 1,
	}
}

func (j intlDocument) Parse(r Row) (Parsed, []error) {
	var errs []error
	f := map[string]string{"order_id": strings.TrimSpace(r.Get("order_id")), "customer_order_reference": strings.TrimSpace(r.Get("customer_order_reference"))}
	if f["order_id"] == "" && f["customer_order_reference"] == "" {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "order_id", Reason: "is required (or customer_order_reference)"})
	} else if f["order_id"] != "" && !isDigitsOnly(f["order_id"]) {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "order_id", Value: f["order_id"], Reason: "is not an order number"})
	}
	if strings.TrimSpace(r.Get("tn")) != "" {
		f["tn"] = parseIntlTN(r, &errs)
		f["country_ref"] = parseCountryRef(r, "country_ref", true, &errs)
		if f["condition_name"] = strings.TrimSpace(r.Get("condition_name")); f["condition_name"] == "" {
			errs = append(errs, &readers.FieldError{Line: r.Line, Column: "condition_name", Reason: "is required for a number's document (the requirement it satisfies)"})
		}
	}
	path, mime, err := j.checkFile(r.Get("file"))
	if err != nil {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "file", Value: r.Get("file"), Reason: err.Error()})
	}
	f["file"], f["mime_type"] = path, mime
	key := "order:" + f["order_id"] + "|ref:" + f["customer_order_reference"] + "|tn:" + f["tn"] + "|" + path
	return Parsed{Key: key, Fields: f}, errs
}

// checkFile resolves a manifest path (Windows separators accepted) and
// checks the file: it exists, is a regular file of 1 byte to 5 MB, its
// extension is a type the API takes, and its first bytes agree with it
// for the binary types.
func (j intlDocument) checkFile(v string) (path, mime string, err error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", "", fmt.Errorf("is required")
	}
	if filepath.Separator == '/' && strings.Contains(v, `\`) && !strings.Contains(v, "/") {
		v = strings.ReplaceAll(v, `\`, "/")
	}
	path = filepath.FromSlash(v)
	if !filepath.IsAbs(path) && j.dir != "" {
		path = filepath.Join(j.dir, path)
	}
	if abs, e := filepath.Abs(path); e == nil {
		path = abs
	}
	mime, ok := intlDocumentTypes[strings.ToLower(filepath.Ext(path))]
	if !ok {
		return path, "", fmt.Errorf("is not a document type the API takes (PDF, JPEG, PNG, GIF, TIFF, TXT, DOC, DOCX)")
	}
	st, e := os.Stat(path)
	switch {
	case e != nil:
		return path, mime, fmt.Errorf("cannot be read: %v", e)
	case !st.Mode().IsRegular():
		return path, mime, fmt.Errorf("is not a file")
	case st.Size() == 0:
		return path, mime, fmt.Errorf("is empty")
	case st.Size() > IntlDocumentMaxBytes:
		return path, mime, fmt.Errorf("is %d bytes, more than the 5 MB a document may have", st.Size())
	}
	fh, e := os.Open(path)
	if e != nil {
		return path, mime, fmt.Errorf("cannot be read: %v", e)
	}
	defer fh.Close()
	head := make([]byte, 512)
	n, _ := fh.Read(head)
	sniffed := http.DetectContentType(head[:n])
	for _, want := range []string{"application/pdf", "image/jpeg", "image/png", "image/gif"} {
		if mime == want && sniffed != want {
			return path, mime, fmt.Errorf("has the extension of %s but its content is %s", want, sniffed)
		}
	}
	return path, mime, nil
}

// intlDocumentCall is the request: which operation, and its body.
type intlDocumentCall struct {
	Tn    *inteliquent.IntlListRequest             `json:",omitempty"`
	Order *inteliquent.IntlOrderAddDocumentRequest `json:",omitempty"`
}

func (intlDocument) Build(b *Batch) (any, error) {
	f := b.Rows[0].Fields
	data, err := os.ReadFile(f["file"])
	if err != nil {
		return nil, fmt.Errorf("row %d: file: %w", b.Rows[0].Line, err)
	}
	doc := inteliquent.IntlDocument{FileName: filepath.Base(f["file"]), MimeType: f["mime_type"], FileContent: base64.StdEncoding.EncodeToString(data)}
	ref := refOf(f)
	if f["tn"] == "" {
		return &intlDocumentCall{Order: &inteliquent.IntlOrderAddDocumentRequest{OrderRef: ref, Document: doc}}, nil
	}
	doc.ConditionName = f["condition_name"]
	return &intlDocumentCall{Tn: &inteliquent.IntlListRequest{OrderID: ref.OrderID, CustomerOrderReference: ref.CustomerOrderReference,
		TnList: inteliquent.IntlTnList{TnItem: []inteliquent.IntlTnItem{{TN: inteliquent.TN(f["tn"]), CountryRef: f["country_ref"], NumberType: "Inbound DID",
			Documents: []inteliquent.IntlDocument{doc}}}}}}, nil
}

func (intlDocument) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	c := req.(*intlDocumentCall)
	if c.Order != nil {
		r, err := api.IntlOrderAddDocument(ctx, c.Order)
		if err != nil {
			return nil, err
		}
		return string(r.DocumentID), nil
	}
	r, err := api.IntlTnAddDocument(ctx, c.Tn)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, it := range r.IntlTnDocumentResponse.TnList.TnItem {
		for _, d := range it.Documents {
			ids = append(ids, string(d.DocumentID))
		}
	}
	return strings.Join(ids, " "), nil
}

func (intlDocument) Read(b *Batch, resp any) Result {
	id := resp.(string)
	f := b.Rows[0].Fields
	msg := "attached " + filepath.Base(f["file"])
	if f["tn"] != "" {
		msg += " to " + f["tn"] + " (" + f["condition_name"] + ")"
	}
	return setAllOutcome(b, record.Outcome{Status: record.StatusOK, OrderID: f["order_id"], Message: msg, Extra: map[string]string{"document_id": id}})
}

// Reconcile: an order document is found by its file name on
// intlOrderDocument (then it arrived; otherwise it is sent again). A
// number's document cannot be looked up: the row stays in doubt.
func (intlDocument) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	f := b.Rows[0].Fields
	if f["tn"] != "" {
		return Result{}, nil, fmt.Errorf("the guide has no operation that lists a number's documents: whether %s reached %s is unknown; check the order and remove the row before resuming", filepath.Base(f["file"]), f["tn"])
	}
	ref := refOf(f)
	l, err := api.IntlOrderDocument(ctx, &ref)
	if err != nil {
		return Result{}, nil, fmt.Errorf("intlOrderDocument: %w", err)
	}
	for _, d := range l.OrderDocumentList.OrderDocument {
		if d.FileName == filepath.Base(f["file"]) {
			return setAllOutcome(b, record.Outcome{Status: record.StatusOK, OrderID: f["order_id"], Code: "reconciled",
				Message: "on the order's documents (the answer was lost)", Extra: map[string]string{"document_id": string(d.DocumentID)}}), nil, nil
		}
	}
	return Result{}, []int{b.Rows[0].Seq}, nil
}

func (intlDocument) Irreversible() string {
	return "the guide has no operation that removes a document from an order or a number"
}
