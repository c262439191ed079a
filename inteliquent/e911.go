package inteliquent

import (
	"context"
	"strings"
)

// This file holds the E911 operations of the guide's sections "Provision
// E911" (POST /tnE911), "Validate E911" (POST /tnE911Validate), "Manage
// E911 Notification Settings" (POST /tnE911Notification), "List E911
// Notification Settings" (POST /tnE911NotificationList) and the
// customer-level "Manage/List Unprovisioned E911 Notification Settings"
// (POST /customerE911Notification, /customerE911NotificationList).

// Operation names of this file.
const (
	OpTnE911                       = "tnE911"
	OpTnE911Validate               = "tnE911Validate"
	OpTnE911Notification           = "tnE911Notification"
	OpTnE911NotificationList       = "tnE911NotificationList"
	OpCustomerE911Notification     = "customerE911Notification"
	OpCustomerE911NotificationList = "customerE911NotificationList"
)

// ---- tnE911 ----

// TnE911Request adds, updates or removes the 911 address of one number,
// synchronously (POST /tnE911). The body is flat. The API parses it
// strictly: an unknown key answers 400 "Request format not recognized
// (Unrecognized fields in json)", so this type has exactly the guide's
// fields. To remove, send only TN and RemoveE911 "Y" (the delete example).
// The table writes "postalCode PlusFour"; the example, followed here,
// postalCodePlusFour.
type TnE911Request struct {
	TN                 TN     `json:"tn"`
	Name               string `json:"name,omitempty"`
	StreetNum          string `json:"streetNum,omitempty"`
	StreetInfo         string `json:"streetInfo,omitempty"`
	Location           string `json:"location,omitempty"`
	City               string `json:"city,omitempty"`
	State              string `json:"state,omitempty"`
	PostalCode         string `json:"postalCode,omitempty"`
	PostalCodePlusFour string `json:"postalCodePlusFour,omitempty"`
	RemoveE911         string `json:"removeE911,omitempty"`
}

func (r *TnE911Request) numberCount() int { return 1 }

// Provision results of tnE911 (and validation results of tnE911Validate):
// 0 the address is perfect as sent, 1 it was close enough and corrected,
// 2 it is not close enough.
const (
	E911Valid     = 0
	E911Corrected = 1
	E911Invalid   = 2
)

// TnE911Result is tnE911Response: what was sent (orig*) and what was
// provisioned (provisioned*). A removal answers an empty object.
type TnE911Result struct {
	TN                            TN         `json:"tn,omitempty"`
	Name                          string     `json:"name,omitempty"`
	OrigStreetNum                 FlexString `json:"origStreetNum,omitempty"`
	OrigStreetInfo                string     `json:"origStreetInfo,omitempty"`
	OrigLocation                  string     `json:"origLocation,omitempty"`
	OrigCity                      string     `json:"origCity,omitempty"`
	OrigState                     string     `json:"origState,omitempty"`
	OrigPostalCode                FlexString `json:"origPostalCode,omitempty"`
	OrigPostalCodePlusFour        FlexString `json:"origPostalCodePlusFour,omitempty"`
	ProvisionMsg                  string     `json:"provisionMsg,omitempty"`
	ProvisionResult               FlexInt    `json:"provisionResult"`
	ProvisionedStreetNum          FlexString `json:"provisionedStreetNum,omitempty"`
	ProvisionedStreetInfo         string     `json:"provisionedStreetInfo,omitempty"`
	ProvisionedLocation           string     `json:"provisionedLocation,omitempty"`
	ProvisionedCity               string     `json:"provisionedCity,omitempty"`
	ProvisionedState              string     `json:"provisionedState,omitempty"`
	ProvisionedPostalCode         FlexString `json:"provisionedPostalCode,omitempty"`
	ProvisionedPostalCodePlusFour FlexString `json:"provisionedPostalCodePlusFour,omitempty"`
}

// TnE911Response is tnE911's answer.
type TnE911Response struct {
	Envelope
	TnE911Response TnE911Result `json:"tnE911Response"`
}

// TnE911 provisions (or removes) one number's 911 address. Setting the same
// address twice leaves the same address, so it is idempotent.
//
// The guide's "Invalid Address" answer is statusCode 409 with a
// tnE911Response that still carries provisionMsg ("3123488244 Invalid
// address, ... Validation result: 2 Message: Invalid address - no correction
// found") and provisionResult 2. For that answer TnE911 returns both the
// decoded response and the *APIError, so the caller can report the
// message; for every other error the response is nil.
func (c *Client) TnE911(ctx context.Context, req *TnE911Request) (*TnE911Response, error) {
	resp := new(TnE911Response)
	if err := c.do(ctx, OpTnE911, req, resp); err != nil {
		if Code(err) == "409" {
			return resp, err
		}
		return nil, err
	}
	return resp, nil
}

// ---- tnE911Validate ----

// TnE911ValidateRequest validates a 911 address for a number or toll-free
// number without provisioning it (POST /tnE911Validate). It changes
// nothing, so dry runs send it.
type TnE911ValidateRequest struct {
	TN         TN     `json:"tn"`
	Name       string `json:"name,omitempty"`
	StreetNum  string `json:"streetNum,omitempty"`
	StreetInfo string `json:"streetInfo,omitempty"`
	Location   string `json:"location,omitempty"`
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
}

// CandidateAddress is one candidateAddressList entry, returned when the
// address is not close enough (validationResult 2).
type CandidateAddress struct {
	StreetNum          FlexString `json:"streetNum,omitempty"`
	StreetInfo         string     `json:"streetInfo,omitempty"`
	City               string     `json:"city,omitempty"`
	State              string     `json:"state,omitempty"`
	PostalCode         FlexString `json:"postalCode,omitempty"`
	PostalCodePlusFour FlexString `json:"postalCodePlusFour,omitempty"`
	Country            string     `json:"country,omitempty"`
}

// String is the address on one line: "318 W 28th St, Tucson, AZ 85713-2848, USA".
func (a CandidateAddress) String() string {
	return FormatAddress(string(a.StreetNum), a.StreetInfo, "", a.City, a.State, string(a.PostalCode), string(a.PostalCodePlusFour), a.Country)
}

// E911Validation is tnE911ValidateResponse.
type E911Validation struct {
	TN                   TN                 `json:"tn,omitempty"`
	Name                 string             `json:"name,omitempty"`
	StreetNum            FlexString         `json:"streetNum,omitempty"`
	StreetInfo           string             `json:"streetInfo,omitempty"`
	Location             string             `json:"location,omitempty"`
	City                 string             `json:"city,omitempty"`
	State                string             `json:"state,omitempty"`
	PostalCode           FlexString         `json:"postalCode,omitempty"`
	ValidationResult     FlexInt            `json:"validationResult"`
	ValidationMsg        string             `json:"validationMsg,omitempty"`
	CorrectedStreetNum   FlexString         `json:"correctedStreetNum,omitempty"`
	CorrectedStreetInfo  string             `json:"correctedStreetInfo,omitempty"`
	CorrectedCity        string             `json:"correctedCity,omitempty"`
	CorrectedState       string             `json:"correctedState,omitempty"`
	CorrectedPostalCode  FlexString         `json:"correctedPostalCode,omitempty"`
	CandidateAddressList []CandidateAddress `json:"candidateAddressList,omitempty"`
}

// Messages splits the pipe-delimited validationMsg ("Corrected to valid
// address|Corrected ZIP Code|Changed address component").
func (v *E911Validation) Messages() []string {
	var out []string
	for _, m := range strings.Split(v.ValidationMsg, "|") {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, m)
		}
	}
	return out
}

// TnE911ValidateResponse is tnE911Validate's answer: statusCode 200 even
// when the address is not close enough (validationResult 2).
type TnE911ValidateResponse struct {
	Envelope
	TnE911ValidateResponse E911Validation `json:"tnE911ValidateResponse"`
}

// TnE911Validate validates one 911 address.
func (c *Client) TnE911Validate(ctx context.Context, req *TnE911ValidateRequest) (*TnE911ValidateResponse, error) {
	return call[TnE911ValidateResponse](ctx, c, OpTnE911Validate, req)
}

// FormatAddress joins address parts on one line, skipping empty ones:
// "550 W Adams St, 9th floor, Chicago, IL 60661-3665".
func FormatAddress(streetNum, streetInfo, location, city, state, postalCode, plusFour, country string) string {
	var parts []string
	if s := strings.TrimSpace(strings.TrimSpace(streetNum) + " " + strings.TrimSpace(streetInfo)); s != "" {
		parts = append(parts, s)
	}
	if l := strings.TrimSpace(location); l != "" {
		parts = append(parts, l)
	}
	if c := strings.TrimSpace(city); c != "" {
		parts = append(parts, c)
	}
	zip := strings.TrimSpace(postalCode)
	if p := strings.TrimSpace(plusFour); p != "" && zip != "" {
		zip += "-" + p
	}
	if s := strings.TrimSpace(strings.TrimSpace(state) + " " + zip); s != "" {
		parts = append(parts, s)
	}
	if c := strings.TrimSpace(country); c != "" {
		parts = append(parts, c)
	}
	return strings.Join(parts, ", ")
}

// ---- tnE911Notification / tnE911NotificationList ----

// EmailItem is one emailItem.
type EmailItem struct {
	Email string `json:"email"`
}

// EmailList is {"emailItem": [{"email": ...}]}.
type EmailList struct {
	EmailItem []EmailItem `json:"emailItem"`
}

// Emails builds an EmailList.
func Emails(addrs ...string) *EmailList {
	l := &EmailList{EmailItem: make([]EmailItem, len(addrs))}
	for i, a := range addrs {
		l.EmailItem[i].Email = a
	}
	return l
}

// Addresses returns the list's addresses, trimmed: the guide's answers pad
// some with spaces (" abc123@def.com "). A nil list has none.
func (l *EmailList) Addresses() []string {
	if l == nil {
		return nil
	}
	out := make([]string, 0, len(l.EmailItem))
	for _, e := range l.EmailItem {
		if a := strings.TrimSpace(e.Email); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// MaxNotificationEmails is the guide's "upper limit of 10 email addresses"
// per number (cumulative) and per customer; more answers 460.
const MaxNotificationEmails = 10

// TnE911Notification is the tnE911Notification object of requests and
// answers. EmailList is absent from answers when the number has no emails.
type TnE911Notification struct {
	TN        TN         `json:"tn"`
	EmailList *EmailList `json:"emailList,omitempty"`
}

// TnE911NotificationRequest adds emails to a number's E911 notification
// list (they add to the emails already there), or removes the listed ones
// with RemoveNotification "Y" (POST /tnE911Notification). The guide's
// remove example puts removeNotification at the root, after the
// tnE911Notification object; so does this type.
type TnE911NotificationRequest struct {
	TnE911Notification TnE911Notification `json:"tnE911Notification"`
	RemoveNotification string             `json:"removeNotification,omitempty"`
}

func (r *TnE911NotificationRequest) numberCount() int { return 1 }

// TnE911NotificationResponse carries the number's whole current list on
// success. Codes: 460 "Unable to add more notification emails", 461 "TN
// Not found for the account", 462 "Other Errors Noted".
type TnE911NotificationResponse struct {
	Envelope
	TnE911Notification *TnE911Notification `json:"tnE911Notification,omitempty"`
}

// Addresses returns the number's current emails (trimmed).
func (r *TnE911NotificationResponse) Addresses() []string {
	if r == nil || r.TnE911Notification == nil {
		return nil
	}
	return r.TnE911Notification.EmailList.Addresses()
}

// TnE911Notification adds or removes notification emails of one number.
// Adding an address already on the list and removing one that is not
// there leave the list as it is, so it is idempotent.
func (c *Client) TnE911Notification(ctx context.Context, req *TnE911NotificationRequest) (*TnE911NotificationResponse, error) {
	return call[TnE911NotificationResponse](ctx, c, OpTnE911Notification, req)
}

// TnE911NotificationListRequest reads one number's list
// (POST /tnE911NotificationList): {"tnE911Notification": {"tn": ...}}.
type TnE911NotificationListRequest struct {
	TnE911Notification TnE911Notification `json:"tnE911Notification"`
}

// TnE911NotificationList reads one number's notification emails.
func (c *Client) TnE911NotificationList(ctx context.Context, req *TnE911NotificationListRequest) (*TnE911NotificationResponse, error) {
	return call[TnE911NotificationResponse](ctx, c, OpTnE911NotificationList, req)
}

// ---- customerE911Notification / customerE911NotificationList ----

// CustomerNotification is the customer-level list of emails that receive
// unprovisioned-E911 alerts.
type CustomerNotification struct {
	EmailList *EmailList `json:"emailList,omitempty"`
}

// CustomerE911NotificationRequest adds emails to (or with
// RemoveNotification "Y" removes them from) the customer-level list
// (POST /customerE911Notification); at most 10 in all (460).
type CustomerE911NotificationRequest struct {
	CustomerNotification CustomerNotification `json:"customerNotification"`
	RemoveNotification   string               `json:"removeNotification,omitempty"`
}

// CustomerE911NotificationResponse carries the whole current list; an empty
// object means none.
type CustomerE911NotificationResponse struct {
	Envelope
	CustomerNotification *CustomerNotification `json:"customerNotification,omitempty"`
}

// Addresses returns the current emails (trimmed).
func (r *CustomerE911NotificationResponse) Addresses() []string {
	if r == nil || r.CustomerNotification == nil {
		return nil
	}
	return r.CustomerNotification.EmailList.Addresses()
}

// CustomerE911Notification changes the customer-level list. Idempotent like
// TnE911Notification.
func (c *Client) CustomerE911Notification(ctx context.Context, req *CustomerE911NotificationRequest) (*CustomerE911NotificationResponse, error) {
	return call[CustomerE911NotificationResponse](ctx, c, OpCustomerE911Notification, req)
}

// CustomerE911NotificationListRequest has no fields besides the privateKey.
type CustomerE911NotificationListRequest struct{}

// CustomerE911NotificationList reads the customer-level list.
func (c *Client) CustomerE911NotificationList(ctx context.Context, req *CustomerE911NotificationListRequest) (*CustomerE911NotificationResponse, error) {
	return call[CustomerE911NotificationResponse](ctx, c, OpCustomerE911NotificationList, req)
}
