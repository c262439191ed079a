package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Trouble ticket documents: ticketAddDocument attaches a Base64 file to a
// ticket, ticketDocument lists a ticket's documents with their content in
// documentLocator (as the guide's example shows).

type ticketDoc struct {
	id, ticketID int64
	name, desc   string
	content      string // Base64, as sent
	public       bool
	at           time.Time
}

// ticketDocMax is the sandbox's limit on a document (the guide gives none):
// 10 MiB decoded, refused with 414 "Invalid value entered for: fileContent".
const ticketDocMax = 10 << 20

type ticketDocReq = fields

func (st *state) ticketAddDocument(now time.Time, req *ticketDocReq) answer {
	id, content, public := req.get("troubleTicketId"), req.get("fileContent"), strings.ToLower(req.get("isPublic"))
	switch {
	case id == "":
		return required("troubleTicketId") // the table says No; a document needs a ticket
	case content == "":
		return required("fileContent")
	case public == "":
		return required("isPublic")
	case public != "true" && public != "false":
		return invalidValue("isPublic")
	}
	data, err := base64.StdEncoding.DecodeString(content)
	if err != nil || len(data) == 0 || len(data) > ticketDocMax {
		return invalidValue("fileContent")
	}
	rs := st.rs()
	t := rs.ticket(id)
	if t == nil {
		return invalidValue("troubleTicketId")
	}
	if rs.nextDoc == 0 {
		rs.nextDoc = 118855
	}
	d := ticketDoc{id: rs.nextDoc, ticketID: t.id, name: req.get("documentName"), desc: req.get("documentDescription"),
		content: content, public: public == "true", at: now}
	rs.nextDoc++
	rs.docs = append(rs.docs, d)
	// lastModifiedString as the guide prints it: 20160302084423307282000-0600.
	mod := now.Format("20060102150405.000000") + "000" + now.Format("-0700")
	mod = strings.Replace(mod, ".", "", 1)
	return obj{success(), map[string]any{"lastModifiedString": mod, "troubleTicketDocumentId": d.id}}
}

func (s *Server) ticketDocument(_ time.Time, raw []byte) answer {
	var req struct {
		TroubleTicketID flexString `json:"troubleTicketId"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	id := strings.TrimSpace(string(req.TroubleTicketID))
	if id == "" {
		return required("troubleTicketId")
	}
	list := []map[string]any{}
	for _, d := range s.st.rs().docs {
		if strconv.FormatInt(d.ticketID, 10) == id {
			desc := d.desc
			if desc == "" {
				desc = "none"
			}
			list = append(list, map[string]any{"documentId": d.id, "documentName": d.name, "documentDescription": desc, "documentLocator": d.content})
		}
	}
	if len(list) == 0 {
		return fail("430", "No Results Found")
	}
	return obj{success(), map[string]any{"ticketDocumentList": list}}
}
