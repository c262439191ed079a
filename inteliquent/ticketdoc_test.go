package inteliquent

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTicketDocuments: the guide's example requests as the client sends
// them (troubleTicketId a number, isPublic the string "true"), its answers
// decoded, and the operations' places in the table.
func TestTicketDocuments(t *testing.T) {
	env := newEnv(t)
	_, err := env.c.TicketAddDocument(context.Background(), &TicketAddDocumentRequest{TroubleTicketID: 65872, DocumentName: "TestDoc02",
		FileContent: "VGhpcyBpcyBhIHRlc3QgZG9j", IsPublic: "true"})
	require.NoError(t, err)
	checkRequestGolden(t, env, OpTicketAddDocument, OpTicketAddDocument)
	env = newEnv(t)
	_, err = env.c.TicketDocument(context.Background(), &TicketDocumentRequest{TroubleTicketID: 65872})
	require.NoError(t, err)
	checkRequestGolden(t, env, OpTicketDocument, OpTicketDocument)

	read := func(name string, v any) {
		b, err := os.ReadFile(filepath.Join("..", "sandbox", "testdata", "guide", name+".response.json"))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, v))
	}
	var add TicketAddDocumentResponse
	read("ticketAddDocument", &add)
	assert.Equal(t, FlexString("118855"), add.TroubleTicketDocumentID)
	assert.Equal(t, "20160302084423307282000-0600", add.LastModifiedString)
	var list TicketDocumentResponse
	read("ticketDocument", &list)
	require.Len(t, list.TicketDocumentList, 1)
	assert.Equal(t, "VGhpcyBpcyBhIHRlc3QgZG9j", list.TicketDocumentList[0].DocumentLocator)

	assert.True(t, IsStateChanging(OpTicketAddDocument))
	assert.False(t, IsIdempotent(OpTicketAddDocument))
	assert.False(t, IsStateChanging(OpTicketDocument))
}
