package exports

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
)

// ticketDocumentsKind lists the documents of trouble tickets
// (ticketDocument) and, with --download-dir, writes each one's content
// there (documentLocator holds it, Base64, in the guide's example).
func ticketDocumentsKind() *Kind {
	return &Kind{
		Name:    "ticket-documents",
		Example: filters("trouble-ticket-id", "65842"),
		Help:    "the documents attached to the trouble tickets in --trouble-ticket-id (ticketDocument); --download-dir DIR writes each document into DIR",
		Ops:     []string{inteliquent.OpTicketDocument},
		Filters: []Filter{
			{Flag: "trouble-ticket-id", Param: "troubleTicketId", Required: true, Help: "tickets, comma separated"},
			{Flag: "download-dir", Param: "not sent", Help: "folder to write the documents into, as TICKET-DOCUMENTID-NAME; existing files are replaced"},
		},
		Columns: func(map[string]string) []string {
			return []string{"trouble_ticket_id", "document_id", "document_name", "document_description", "size_bytes", "file"}
		},
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			var ids []int64
			for _, v := range strings.Split(env.Params["trouble-ticket-id"], ",") {
				if v = strings.TrimSpace(v); v == "" {
					continue
				}
				id, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("--trouble-ticket-id %q is not a ticket number: %w", v, ErrUsage)
				}
				ids = append(ids, id)
			}
			dir := strings.TrimSpace(env.Params["download-dir"])
			if dir != "" {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return nil, fmt.Errorf("--download-dir: %w", err)
				}
			}
			s := &taskSource{n: len(ids), fetch: func(ctx context.Context, i int) ([][]string, error) {
				resp, err := env.API.TicketDocument(ctx, &inteliquent.TicketDocumentRequest{TroubleTicketID: ids[i]})
				if err != nil {
					return nil, fmt.Errorf("ticketDocument %d: %w", ids[i], err)
				}
				var rows [][]string
				for _, d := range resp.TicketDocumentList {
					data, derr := base64.StdEncoding.DecodeString(strings.TrimSpace(d.DocumentLocator))
					size, file := "", ""
					if derr == nil {
						size = strconv.Itoa(len(data))
						if dir != "" {
							if file, err = writeDocument(dir, ids[i], string(d.DocumentID), d.DocumentName, data); err != nil {
								return nil, err
							}
						}
					}
					rows = append(rows, []string{strconv.FormatInt(ids[i], 10), string(d.DocumentID), d.DocumentName, d.DocumentDescription, size, file})
				}
				return rows, nil
			}}
			if err := decodeState(state, &s.st); err != nil {
				return nil, err
			}
			return s, nil
		},
	}
}

// safeName keeps a document name usable as a file name on every system.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(`<>:"/\|?*`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.Trim(s, ". ")
	if s == "" {
		s = "document"
	}
	if len(s) > 100 {
		s = s[:100]
	}
	return s
}

// writeDocument writes a document into dir, atomically (temporary file,
// then rename), and returns its path.
func writeDocument(dir string, ticket int64, id, name string, data []byte) (string, error) {
	path := filepath.Join(dir, fmt.Sprintf("%d-%s-%s", ticket, safeName(id), safeName(name)))
	tmp, err := os.CreateTemp(dir, ".iqbulk-doc-*")
	if err != nil {
		return "", fmt.Errorf("download %s: %w", name, err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		_ = os.Remove(tmp.Name())
		return "", fmt.Errorf("download %s: %w", name, werr)
	}
	return path, nil
}
