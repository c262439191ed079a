package inteliquent

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIntlRequestBodies sends the guide's example request of every
// international operation (its values, the examples' URLs) and checks the
// body against testdata/requests/<op>.json.
func TestIntlRequestBodies(t *testing.T) {
	ctx := context.Background()
	endUser := []IntlEndUser{{Label: "Company name", Value: "Eiffel Tower", Mandatory: true}, {Label: "City", Value: "Paris", Mandatory: true}}
	tests := []struct {
		op   string
		call func(c *Client) error
	}{
		{OpIntlTnReserve, func(c *Client) error {
			r := &IntlTnReserveRequest{}
			r.TnReserve.TnList.TnItem = []IntlTnItem{{TN: "442015540010"}, {TN: "442015540011"}}
			_, err := c.IntlTnReserve(ctx, r)
			return err
		}},
		{OpIntlTnOrder, func(c *Client) error {
			r := &IntlTnOrderRequest{}
			r.TnOrder.CustomerOrderReference = "gbr-test-8"
			r.TnOrder.TnList.TnItem = []IntlTnItem{{RoutingOption: "Voice Platform", CountryRef: "GBR", TN: "442045242409"}}
			_, err := c.IntlTnOrder(ctx, r)
			return err
		}},
		{OpIntlPortInOrder, func(c *Client) error {
			r := &IntlPortInOrderRequest{}
			r.PortInOrder.CustomerOrderReference, r.PortInOrder.DesiredDueDate = "IntlTestOrder321", "2020-12-20T00:00:00.000Z"
			r.PortInOrder.TnList.TnItem = []IntlTnItem{{CountryRef: "GBR", TN: "443059891246", RoutingOption: "Voice Platform", TnNote: "Test Note", EndUserData: endUser}}
			_, err := c.IntlPortInOrder(ctx, r)
			return err
		}},
		{OpIntlTnDisconnect, func(c *Client) error {
			_, err := c.IntlTnDisconnect(ctx, &IntlListRequest{CustomerOrderReference: "run1-b0001", TnList: IntlTnList{TnItem: []IntlTnItem{{CountryRef: "FRA", TN: "331234567890"}}}})
			return err
		}},
		{OpIntlTnUpdate, func(c *Client) error {
			_, err := c.IntlTnUpdate(ctx, &IntlListRequest{CustomerOrderReference: "1521743", TnList: IntlTnList{TnItem: []IntlTnItem{{TN: "442045242409", RoutingOption: "Cleveland", CountryRef: "GBR"}}}})
			return err
		}},
		{OpIntlTnRoutingUpdate, func(c *Client) error {
			_, err := c.IntlTnRoutingUpdate(ctx, &IntlListRequest{OrderID: "1521743", TnList: IntlTnList{TnItem: []IntlTnItem{{TN: "442045242409", NumberType: "Inbound DID", RoutingOption: "Cleveland", CountryRef: "GBR"}}}})
			return err
		}},
		{OpIntlTnEndUser, func(c *Client) error {
			_, err := c.IntlTnEndUser(ctx, &IntlListRequest{OrderID: "1521695", TnList: IntlTnList{TnItem: []IntlTnItem{{TN: "442045242407", CountryRef: "GBR", NumberType: "Inbound DID", EndUserData: endUser}}}})
			return err
		}},
		{OpIntlTnAddDocument, func(c *Client) error {
			_, err := c.IntlTnAddDocument(ctx, &IntlListRequest{OrderID: "1521263", TnList: IntlTnList{TnItem: []IntlTnItem{{TN: "33970635012", CountryRef: "FRA", NumberType: "Inbound DID",
				Documents: []IntlDocument{{ConditionName: "Proof of in region address", FileName: "passport.pdf", MimeType: "application/pdf", FileContent: "VGhpcyBpcyBhIHRlc3QgZG9j"}}}}}})
			return err
		}},
		{OpIntlTnNoteUpdate, func(c *Client) error {
			r := &IntlTnNoteRequest{}
			r.TnNote.TnList.TnItem = []IntlTnItem{{CountryRef: "FRA", TN: "33170710241", TnNote: "test tn note"}}
			_, err := c.IntlTnNoteUpdate(ctx, r)
			return err
		}},
		{OpIntlTnAddNote, func(c *Client) error {
			r := &IntlTnNoteRequest{OrderID: "1521833"}
			r.TnNote.TnList.TnItem = []IntlTnItem{{TN: "442033712323", TnNote: "Test2", CountryRef: "GBR"}}
			_, err := c.IntlTnAddNote(ctx, r)
			return err
		}},
		{OpIntlOrderAddNote, func(c *Client) error {
			_, err := c.IntlOrderAddNote(ctx, &IntlOrderNoteRequest{OrderRef: OrderRef{OrderID: "1521833"}, OrderNote: "Order Contact Details:\r\nName: Mubeena Fatima"})
			return err
		}},
		{OpIntlOrderAddContactNote, func(c *Client) error {
			_, err := c.IntlOrderAddContactNote(ctx, &IntlOrderNoteRequest{OrderRef: OrderRef{OrderID: "1521833"}, OrderNote: "Order Contact Details:\r\nName: Mubeena Fatima"})
			return err
		}},
		{OpIntlOrderAddDocument, func(c *Client) error {
			_, err := c.IntlOrderAddDocument(ctx, &IntlOrderAddDocumentRequest{OrderRef: OrderRef{OrderID: "1521833"},
				Document: IntlDocument{FileName: "name sample.jpg", MimeType: "image/jpeg", FileContent: "/9j/4AAQSkZJRgABAQEASABIAAD"}})
			return err
		}},
		{OpIntlOrderCancel, func(c *Client) error { _, err := c.IntlOrderCancel(ctx, &OrderRef{OrderID: "1521833"}); return err }},
		{OpIntlTnRequest, func(c *Client) error {
			_, err := c.IntlTnRequest(ctx, &IntlTnRequestRequest{CustomerOrderReference: "test request order", Quantity: 10, RoutingOption: "Cleveland", CountryRef: "GBR", DesiredDueDate: "2020-10-01T00:00:00.000Z"})
			return err
		}},
		{OpIntlOrderList, func(c *Client) error {
			_, err := c.IntlOrderList(ctx, &IntlOrderListRequest{CreatedDateStartRange: "2020-12-10T00:00:00.000Z", CreatedDateEndRange: "2020-12-12T00:00:00.000Z",
				ServiceOrderReference: "NEW", PageSort: &PageSort{Size: 1, Page: 1}})
			return err
		}},
		{OpIntlPortInOrderList, func(c *Client) error {
			_, err := c.IntlPortInOrderList(ctx, &IntlOrderListRequest{CreatedDateStartRange: "2020-12-10T00:00:00.000Z", CreatedDateEndRange: "2020-12-12T00:00:00.000Z",
				PageSort: &PageSort{Size: 1, Page: 1}})
			return err
		}},
		{OpIntlOrderDetail, func(c *Client) error {
			_, err := c.IntlOrderDetail(ctx, &IntlOrderDetailRequest{OrderID: "1521743", CustomerOrderReference: "ref"})
			return err
		}},
		{OpIntlTnDetail, func(c *Client) error {
			r := &IntlTnDetailRequest{}
			r.TnSearchList.TnSearchItem = []IntlTnSearchItem{{CountryRef: "FRA", TnMask: "xxxxxxxxxxxx"}}
			_, err := c.IntlTnDetail(ctx, r)
			return err
		}},
		{OpIntlExcludedTnList, func(c *Client) error {
			_, err := c.IntlExcludedTnList(ctx, &IntlExcludedTnListRequest{OrderRef: OrderRef{OrderID: "123456"}, CountryRef: "FRA", TN: "3323234567"})
			return err
		}},
		{OpIntlTnInventory, func(c *Client) error {
			_, err := c.IntlTnInventory(ctx, &IntlTnInventoryRequest{CountryRef: "GBR", NumberType: "Inbound DID", Quantity: 1})
			return err
		}},
		{OpIntlTnReservedList, func(c *Client) error { _, err := c.IntlTnReservedList(ctx); return err }},
		{OpIntlOrderDocument, func(c *Client) error {
			_, err := c.IntlOrderDocument(ctx, &OrderRef{OrderID: "43212313", CustomerOrderReference: "customerRef12345"})
			return err
		}},
		{OpIntlOrderDocumentDownload, func(c *Client) error {
			_, err := c.IntlOrderDocumentDownload(ctx, &IntlDownloadRequest{OrderID: "43212313", DocumentID: "912ffaa3-2e5e-4b8b-9464-75922d15cd8f"})
			return err
		}},
		{OpIntlTnDocumentDownload, func(c *Client) error {
			_, err := c.IntlTnDocumentDownload(ctx, &IntlDownloadRequest{DocumentID: "7bd16fa1-16c1-44a5-b9db-1f5561143ae6"})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			env := newEnv(t)
			require.NoError(t, tt.call(env.c))
			checkRequestGolden(t, env, tt.op, tt.op)
		})
	}
}

// TestIntlOpTable: reads are idempotent; orders, port-ins, disconnects,
// reservations, cancels, requests, order notes and documents are not;
// setting routing, end user or a number's note is.
func TestIntlOpTable(t *testing.T) {
	for op, idem := range map[string]bool{
		OpIntlTnReserve: false, OpIntlTnOrder: false, OpIntlPortInOrder: false, OpIntlTnDisconnect: false, OpIntlOrderCancel: false,
		OpIntlTnRequest: false, OpIntlOrderAddNote: false, OpIntlOrderAddContactNote: false, OpIntlOrderAddDocument: false,
		OpIntlTnAddDocument: false, OpIntlTnUpdate: true, OpIntlTnRoutingUpdate: true, OpIntlTnEndUser: true, OpIntlTnNoteUpdate: true, OpIntlTnAddNote: true,
	} {
		assert.True(t, IsStateChanging(op), op)
		assert.Equal(t, idem, IsIdempotent(op), op)
	}
	for _, op := range []string{OpIntlOrderList, OpIntlPortInOrderList, OpIntlOrderDetail, OpIntlTnDetail, OpIntlExcludedTnList, OpIntlTnInventory,
		OpIntlTnReservedList, OpIntlOrderDocument, OpIntlOrderDocumentDownload, OpIntlTnDocumentDownload} {
		assert.False(t, IsStateChanging(op), op)
	}
}
