package sandbox

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// Order documents (orderAddDocument, orderDocument): any order may hold
// them; the first one on a toll-free port-in is its LOA.

// orderAddDocument attaches a document to any order. The first document on
// a toll-free port-in is its LOA: the port proceeds from then on.
func (st *state) orderAddDocument(now time.Time, req *orderAddDocumentReq) answer {
	id, ref := int64(req.OrderID), strings.TrimSpace(string(req.CustomerOrderReference))
	if id == 0 && ref == "" {
		return required("orderId")
	}
	if strings.TrimSpace(req.DocumentName) == "" {
		return required("documentName")
	}
	if strings.TrimSpace(req.FileContent) == "" {
		return required("fileContent")
	}
	if _, err := base64.StdEncoding.DecodeString(strings.TrimSpace(req.FileContent)); err != nil {
		return invalidValue("fileContent")
	}
	o := st.findOrder(id, ref)
	if o == nil {
		return orderNotFound
	}
	ts := st.tfs()
	d := orderDoc{ID: ts.nextDoc, Name: req.DocumentName, Desc: req.DocumentDescription, FileContent: strings.TrimSpace(req.FileContent), At: now}
	ts.nextDoc++
	ts.docs[o.ID] = append(ts.docs[o.ID], d)
	if inf := ts.info[o.ID]; inf != nil && inf.port && inf.loaAt.IsZero() && o.CancelReqAt.IsZero() {
		inf.loaAt = now
		start := o.PendingAt
		if now.After(start) {
			start = now
		}
		o.CloseAt = start.Add(time.Duration(len(o.Valid)) * tnRoutingStep)
		if inf.features {
			o.CloseAt = o.CloseAt.Add(featureDelay)
		}
	}
	return obj{envelope{"Success", 200}, map[string]any{"documentId": strconv.FormatInt(d.ID, 10)}}
}

func (s *Server) orderDocument(_ time.Time, raw []byte) answer {
	o, _, bad := s.lookupOrder(raw)
	if bad != nil {
		return bad
	}
	docs := s.st.tfs().docs[o.ID]
	if len(docs) == 0 {
		return fail("430", "No Results Found")
	}
	rows := make([]map[string]any, len(docs))
	for i, d := range docs {
		rows[i] = map[string]any{"documentId": d.ID, "documentName": d.Name, "fileContent": d.FileContent, "description": d.Desc, "mimeType": "application/octet-stream"}
	}
	return obj{success(), map[string]any{"orderDocumentList": map[string]any{"orderDocument": rows}}}
}

// OrderDocument is a document the sandbox holds for an order.
type OrderDocument struct {
	ID          int64
	Name        string
	Description string
	Size        int // decoded bytes
	At          time.Time
}

// OrderDocuments lists the documents attached to an order (for tests and
// demos: a port-in's LOA, say).
func (s *Server) OrderDocuments(orderID int64) []OrderDocument {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []OrderDocument
	for _, d := range s.st.tfs().docs[orderID] {
		b, _ := base64.StdEncoding.DecodeString(d.FileContent)
		out = append(out, OrderDocument{ID: d.ID, Name: d.Name, Description: d.Desc, Size: len(b), At: d.At})
	}
	return out
}
