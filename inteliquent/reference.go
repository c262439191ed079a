package inteliquent

import "context"

// Reference and report operations: rate-center and LATA lookups, CNAM dip
// settings, trouble tickets, account defaults, the trunk-group lookups
// (switch locations, DTMF relays, customer locations) and voice scripts.
// All of them only read.
const (
	OpRateCenterCoverage   = "rateCenterCoverage"
	OpLataInventory        = "lataInventory"
	OpTnFeatureCnamDip     = "tnFeatureCnamDip"
	OpTicketList           = "ticketList"
	OpTicketDetail         = "ticketDetail"
	OpTicketNote           = "ticketNote"
	OpAccountDefaultDetail = "accountDefaultDetail"
	OpSwitchLocationList   = "switchLocationList"
	OpDtmfRelayList        = "dtmfRelayList"
	OpCustomerLocationList = "customerLocationList"
	OpVoiceScriptDetail    = "voiceScriptDetail"
)

// ---- rateCenterCoverage ----

// RateCenterCoverageRequest asks which rate centers are approved for DID
// and LNP provisioning (POST /rateCenterCoverage).
type RateCenterCoverageRequest struct {
	Wireless string `json:"wireless,omitempty"` // Y or N
}

// RateCenterItem is one rateCenterList.rateCenterItem entry.
type RateCenterItem struct {
	Lata        FlexString `json:"lata"`
	RcAbbre     string     `json:"rcAbbre"`
	MarketName  string     `json:"marketName"`
	LocState    string     `json:"locState"`
	LnpApproved string     `json:"lnpApproved"`
	DidApproved string     `json:"didApproved"`
}

// RateCenterCoverageResponse lists rate centers.
type RateCenterCoverageResponse struct {
	Envelope
	RateCenterList struct {
		RateCenterItem []RateCenterItem `json:"rateCenterItem"`
	} `json:"rateCenterList"`
}

// RateCenterCoverage lists rate centers and their DID/LNP approval.
func (c *Client) RateCenterCoverage(ctx context.Context, req *RateCenterCoverageRequest) (*RateCenterCoverageResponse, error) {
	return call[RateCenterCoverageResponse](ctx, c, OpRateCenterCoverage, req)
}

// ---- lataInventory ----

// LataInventoryRequest asks the LATA of numbers (POST /lataInventory; no
// wrapper object).
type LataInventoryRequest struct {
	TnList TnRefList `json:"tnList"`
}

func (r *LataInventoryRequest) numberCount() int { return len(r.TnList.TnItem) }

// LataInventoryResponse lists one LATA per number. The guide's answer does
// not echo the numbers.
type LataInventoryResponse struct {
	Envelope
	LataList []struct {
		Lata FlexString `json:"lata"`
	} `json:"lataList"`
}

// LataInventory returns the numbers' LATAs, in request order.
func (c *Client) LataInventory(ctx context.Context, req *LataInventoryRequest) (*LataInventoryResponse, error) {
	return call[LataInventoryResponse](ctx, c, OpLataInventory, req)
}

// ---- tnFeatureCnamDip ----

// TnFeatureCnamDipRequest pages the inbound CNAM dip setting of every
// active number (POST /tnFeatureCnamDip).
type TnFeatureCnamDipRequest struct {
	PageSort *PageSort `json:"pageSort,omitempty"`
}

// TnFeatureCnamDipResponse is one page.
type TnFeatureCnamDipResponse struct {
	Envelope
	PageInfo
	TnFeatureCnamDipList []struct {
		TN      TN     `json:"tn"`
		CnamDip string `json:"cnamDip"`
	} `json:"tnFeatureCnamDipList"`
}

// TnFeatureCnamDip returns one page of CNAM dip settings.
func (c *Client) TnFeatureCnamDip(ctx context.Context, req *TnFeatureCnamDipRequest) (*TnFeatureCnamDipResponse, error) {
	return call[TnFeatureCnamDipResponse](ctx, c, OpTnFeatureCnamDip, req)
}

// ---- trouble tickets: ticketList, ticketDetail, ticketNote ----

// TicketListRequest filters the account's trouble tickets (POST
// /ticketList). The parameter table spells "troubleTicket Status"; the
// example's troubleTicketStatus is sent.
type TicketListRequest struct {
	TroubleTicketID            string `json:"troubleTicketId,omitempty"`
	MinEnterDate               string `json:"minEnterDate,omitempty"` // 2015-12-20
	MaxEnterDate               string `json:"maxEnterDate,omitempty"`
	ExtlCompanyTicket          string `json:"extlCompanyTicket,omitempty"`
	TroubleTicketStatus        string `json:"troubleTicketStatus,omitempty"`
	TroubleTicketStatusExclude string `json:"troubleTicketStatusExclude,omitempty"` // Y excludes the status
}

// TicketListItem is one troubleTicketList entry.
type TicketListItem struct {
	TroubleTicketID     FlexString `json:"troubleTicketId"`
	ExtlCompanyTicket   string     `json:"extlCompanyTicket"`
	TroubleTicketStatus string     `json:"troubleTicketStatus"`
	EnterDate           string     `json:"enterDate"`
	ContactName         string     `json:"contactName"`
}

// TicketListResponse lists tickets.
type TicketListResponse struct {
	Envelope
	TroubleTicketList []TicketListItem `json:"troubleTicketList"`
}

// TicketList lists trouble tickets.
func (c *Client) TicketList(ctx context.Context, req *TicketListRequest) (*TicketListResponse, error) {
	return call[TicketListResponse](ctx, c, OpTicketList, req)
}

// TicketDetailRequest names one ticket (POST /ticketDetail).
type TicketDetailRequest struct {
	TroubleTicketID   string `json:"troubleTicketId"`
	ExtlCompanyTicket string `json:"extlCompanyTicket,omitempty"`
}

// TicketDetail is one ticketDetailList entry. The answer spells
// externalCompanyTicket and origTN/termTN where the request spells
// extlCompanyTicket and origTn/termTn.
type TicketDetail struct {
	TroubleTicketID          FlexString `json:"troubleTicketId"`
	Description              string     `json:"description"`
	MarketName               string     `json:"marketName"`
	RegionName               string     `json:"regionName"`
	OperationalMarketName    string     `json:"operationalMarketName"`
	OccurDate                string     `json:"occurDate"`
	AssignedWorkgroupName    string     `json:"assignedWorkgroupName"`
	ContactName              string     `json:"contactName"`
	CountryRef               string     `json:"countryRef"`
	ContactPhone             FlexString `json:"contactPhone"`
	ContactPhoneExtension    FlexString `json:"contactPhoneExtension"`
	ContactEmailAddress      string     `json:"contactEmailAddress"`
	ExternalCompanyTicket    string     `json:"externalCompanyTicket"`
	TroubleTicketService     string     `json:"troubleTicketService"`
	TroubleTicketSource      string     `json:"troubleTicketSource"`
	TroubleTicketProblemCode string     `json:"troubleTicketProblemCode"`
	TroubleTicketStatus      string     `json:"troubleTicketStatus"`
	TroubleTicketCauseCode   string     `json:"troubleTicketCauseCode"`
	TroubleTicketResolveCode string     `json:"troubleTicketResolveCode"`
	ExpectedCustomerImpact   string     `json:"expectedCustomerImpact"`
	EnterDate                string     `json:"enterDate"`
	EnterUserDisplayName     string     `json:"enterUserDisplayName"`
	ResolveUserDisplayName   string     `json:"resolveUserDisplayName"`
	CloseUserDisplayName     string     `json:"closeUserDisplayName"`
	UpdateDate               string     `json:"updateDate"`
	UpdateUserDisplayName    string     `json:"updateUserDisplayName"`
	NocTechDisplayName       string     `json:"nocTechDisplayName"`
	OrigTN                   FlexString `json:"origTN"`
	TermTN                   FlexString `json:"termTN"`
}

// TicketDetailResponse carries an array even for one ticket.
type TicketDetailResponse struct {
	Envelope
	TicketDetailList []TicketDetail `json:"ticketDetailList"`
}

// TicketDetail reads one ticket.
func (c *Client) TicketDetail(ctx context.Context, req *TicketDetailRequest) (*TicketDetailResponse, error) {
	return call[TicketDetailResponse](ctx, c, OpTicketDetail, req)
}

// TicketNoteRequest names the ticket whose notes to read (POST
// /ticketNote).
type TicketNoteRequest struct {
	TroubleTicketID string `json:"troubleTicketId,omitempty"`
}

// TicketNote is one ticketNoteList entry; insertDate reads
// "12-31-2015 03:09:53 PM".
type TicketNote struct {
	NoteID                FlexString `json:"noteId"`
	TroubleTicketID       FlexString `json:"troubleTicketId"`
	Note                  string     `json:"note"`
	InsertDate            string     `json:"insertDate"`
	InsertUser            string     `json:"insertUser"`
	InsertUserDisplayName string     `json:"insertUserDisplayName"`
}

// TicketNoteResponse lists notes.
type TicketNoteResponse struct {
	Envelope
	TicketNoteList []TicketNote `json:"ticketNoteList"`
}

// TicketNote reads a ticket's notes.
func (c *Client) TicketNote(ctx context.Context, req *TicketNoteRequest) (*TicketNoteResponse, error) {
	return call[TicketNoteResponse](ctx, c, OpTicketNote, req)
}

// ---- accountDefaultDetail ----

// PortOutContact is one portOutContactList.portOutContactItem entry.
type PortOutContact struct {
	ContactLastName  string `json:"contactLastName"`
	ContactFirstName string `json:"contactFirstName"`
	ContactEmail     string `json:"contactEmail"`
}

// PortOutContactList is {"portOutContactItem": [...]}.
type PortOutContactList struct {
	PortOutContactItem []PortOutContact `json:"portOutContactItem"`
}

// AccountDefaults are the account's default settings as
// accountDefaultDetail returns them. The answer spells webHookUrl; the
// fields the guide's table names but its example leaves out are kept too.
type AccountDefaults struct {
	ContactLastName         string              `json:"contactLastName"`
	ContactFirstName        string              `json:"contactFirstName"`
	ContactEmail            string              `json:"contactEmail"`
	DesiredPortTime         string              `json:"desiredPortTime"`
	DesiredPortTimeZone     string              `json:"desiredPortTimeZone"`
	WebHookURL              string              `json:"webHookUrl"`
	PortOutPin              FlexString          `json:"portOutPin"`
	CnamDip                 string              `json:"cnamDip"`
	CnamDipTf               string              `json:"cnamDipTf"`
	WebhookHeader           string              `json:"webhookHeader"`
	AuthorizeWebhookPortout string              `json:"authorizeWebhookPortout"`
	TrunkGroupMgmtEnabled   string              `json:"trunkGroupMgmtEnabled"`
	PortOutContactList      *PortOutContactList `json:"portOutContactList,omitempty"`
	MsgDeliveryReceipt      string              `json:"msgDeliveryReceipt"`
	IPFilteringEnabled      string              `json:"ipFilteringEnabled,omitempty"`
	IPRange                 string              `json:"ipRange,omitempty"`
	EmailDomain             string              `json:"emailDomain,omitempty"`
	SloURL                  string              `json:"sloUrl,omitempty"`
}

// AccountDefaultDetailResponse carries the defaults.
type AccountDefaultDetailResponse struct {
	Envelope
	AccountDefaultDetail AccountDefaults `json:"accountDefaultDetail"`
}

// AccountDefaultDetail reads the account's default settings.
func (c *Client) AccountDefaultDetail(ctx context.Context) (*AccountDefaultDetailResponse, error) {
	return call[AccountDefaultDetailResponse](ctx, c, OpAccountDefaultDetail, nil)
}

// ---- switchLocationList, dtmfRelayList, customerLocationList ----

// SwitchLocationListResponse lists switch locations.
type SwitchLocationListResponse struct {
	Envelope
	SwitchLocationList []string `json:"switchLocationList"`
}

// DtmfRelayListResponse lists DTMF relay options ("2833", "None = INBAND").
type DtmfRelayListResponse struct {
	Envelope
	DtmfRelayList []string `json:"dtmfRelayList"`
}

// CustomerLocationListResponse lists the account's locations (CLLI-like codes).
type CustomerLocationListResponse struct {
	Envelope
	CustomerLocationList []string `json:"customerLocationList"`
}

// SwitchLocationList lists Inteliquent switch locations ("Chicago IL").
func (c *Client) SwitchLocationList(ctx context.Context) (*SwitchLocationListResponse, error) {
	return call[SwitchLocationListResponse](ctx, c, OpSwitchLocationList, nil)
}

// DtmfRelayList lists DTMF relay options.
func (c *Client) DtmfRelayList(ctx context.Context) (*DtmfRelayListResponse, error) {
	return call[DtmfRelayListResponse](ctx, c, OpDtmfRelayList, nil)
}

// CustomerLocationList lists the account's locations.
func (c *Client) CustomerLocationList(ctx context.Context) (*CustomerLocationListResponse, error) {
	return call[CustomerLocationListResponse](ctx, c, OpCustomerLocationList, nil)
}

// ---- voiceScriptDetail ----

// VoiceScriptQuery is one voiceScript entry of a voiceScriptDetail
// request: numbers, one domain, or a blanket scriptType ("NUMBER" or
// "DOMAIN"). The table spells Direction with a capital D.
type VoiceScriptQuery struct {
	TN         TN     `json:"tn,omitempty"`
	Domain     string `json:"domain,omitempty"`
	ScriptType string `json:"scriptType,omitempty"`
	Direction  string `json:"Direction,omitempty"` // inbound or outbound; both when empty
}

// VoiceScriptDetailRequest asks for voice scripts (POST /voiceScriptDetail).
type VoiceScriptDetailRequest struct {
	VoiceScript []VoiceScriptQuery `json:"voiceScript"`
}

// VoiceScript is one script setting.
type VoiceScript struct {
	TN              TN     `json:"tn,omitempty"`
	Domain          string `json:"domain,omitempty"`
	Script          string `json:"script"`
	CreatedDate     string `json:"createdDate"`
	Enabled         bool   `json:"enabled"`
	Direction       string `json:"direction"`
	CustomerDefault bool   `json:"customerDefault"`
}

// VoiceScriptDetailResponse lists scripts.
type VoiceScriptDetailResponse struct {
	Envelope
	VoiceScriptResponse struct {
		VoiceScript []VoiceScript `json:"voiceScript"`
	} `json:"voiceScriptResponse"`
}

// VoiceScriptDetail reads voice scripts.
func (c *Client) VoiceScriptDetail(ctx context.Context, req *VoiceScriptDetailRequest) (*VoiceScriptDetailResponse, error) {
	return call[VoiceScriptDetailResponse](ctx, c, OpVoiceScriptDetail, req)
}

// ---- addressValidate ----

// OpAddressValidate validates a 911 address without a number.
const OpAddressValidate = "addressValidate"

// AddressValidateRequest is one address (POST /addressValidate); every
// field is required and there is no tn or name.
type AddressValidateRequest struct {
	StreetNum  string `json:"streetNum"`
	StreetInfo string `json:"streetInfo"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postalCode"`
}

// AddressValidateResponse carries the validation: validationResult 0
// valid, 1 corrected, 2 invalid (with candidates); 2 still answers 200.
type AddressValidateResponse struct {
	Envelope
	AddressValidateResponse E911Validation `json:"addressValidateResponse"`
}

// AddressValidate validates one address. It only reads.
func (c *Client) AddressValidate(ctx context.Context, req *AddressValidateRequest) (*AddressValidateResponse, error) {
	return call[AddressValidateResponse](ctx, c, OpAddressValidate, req)
}

// ---- accountDefault ----

// OpAccountDefault replaces the account's default settings.
const OpAccountDefault = "accountDefault"

// CustomerDefault is accountDefault's customerDefault object. The guide:
// webhookUrl, webhookHeader and portOutContactList "Will be overwritten to
// null if not sent", so a partial update blanks them: always start from
// accountDefaultDetail (MergeDefaults). The example spells sloURL.
type CustomerDefault struct {
	ContactFirstName        string              `json:"contactFirstName,omitempty"`
	ContactLastName         string              `json:"contactLastName,omitempty"`
	ContactEmail            string              `json:"contactEmail,omitempty"`
	DesiredPortTime         string              `json:"desiredPortTime,omitempty"`
	DesiredPortTimeZone     string              `json:"desiredPortTimeZone,omitempty"`
	WebhookURL              string              `json:"webhookUrl,omitempty"`
	PortOutPin              string              `json:"portOutPin,omitempty"`
	CnamDip                 string              `json:"cnamDip,omitempty"`
	CnamDipTf               string              `json:"cnamDipTf,omitempty"`
	WebhookHeader           string              `json:"webhookHeader,omitempty"`
	AuthorizeWebhookPortout string              `json:"authorizeWebhookPortout,omitempty"`
	EmailDomain             string              `json:"emailDomain,omitempty"`
	IPFilteringEnabled      string              `json:"ipFilteringEnabled,omitempty"`
	IPRange                 string              `json:"ipRange,omitempty"`
	SloURL                  string              `json:"sloURL,omitempty"`
	PortOutContactList      *PortOutContactList `json:"portOutContactList,omitempty"`
}

// AccountDefaultRequest is POST /accountDefault.
type AccountDefaultRequest struct {
	CustomerDefault CustomerDefault `json:"customerDefault"`
}

// DefaultsFromDetail is the whole of the current defaults in
// accountDefault's form, to change and send back.
func DefaultsFromDetail(d *AccountDefaults) CustomerDefault {
	return CustomerDefault{ContactFirstName: d.ContactFirstName, ContactLastName: d.ContactLastName, ContactEmail: d.ContactEmail,
		DesiredPortTime: d.DesiredPortTime, DesiredPortTimeZone: d.DesiredPortTimeZone, WebhookURL: d.WebHookURL,
		PortOutPin: string(d.PortOutPin), CnamDip: d.CnamDip, CnamDipTf: d.CnamDipTf, WebhookHeader: d.WebhookHeader,
		AuthorizeWebhookPortout: d.AuthorizeWebhookPortout, EmailDomain: d.EmailDomain, IPFilteringEnabled: d.IPFilteringEnabled,
		IPRange: d.IPRange, SloURL: d.SloURL, PortOutContactList: d.PortOutContactList}
}

// AccountDefault replaces the account's defaults with req's whole object.
// Sending the same object twice leaves the same settings: idempotent.
func (c *Client) AccountDefault(ctx context.Context, req *AccountDefaultRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpAccountDefault, req)
}
