package inteliquent

// Operation names, spelled as the guide spells the paths.
const (
	OpTnInventory         = "tnInventory"
	OpTnReserve           = "tnReserve"
	OpTnRelease           = "tnRelease"
	OpTnReservedList      = "tnReservedList"
	OpTnInventoryCoverage = "tnInventoryCoverage"
	OpTnOrder             = "tnOrder"
	OpTnAssignedList      = "tnAssignedList"
	OpTnDetail            = "tnDetail"
	OpTnUpdate            = "tnUpdate"
	OpTnFeatureOrder      = "tnFeatureOrder"
	OpPortOutPinUpdate    = "portOutPinUpdate"
	OpTnNoteUpdate        = "tnNoteUpdate"
	OpTnDisconnect        = "tnDisconnect"
	OpOrderList           = "orderList"
	OpOrderDetail         = "orderDetail"
	OpExcludedTnList      = "excludedTnList"
	OpExcludedFeatureList = "excludedFeatureList"
	OpExcludedE911Detail  = "excludedE911Detail"
	OpOrderCancel         = "orderCancel"
	OpOrderAddNote        = "orderAddNote"
	OpOrderNote           = "orderNote"
	OpHealthCheck         = "healthCheck"
)

// base says which service root an operation lives under.
type base int

const (
	baseServices base = iota
	baseHealthChecker
	baseClientMgmt
)

// opSpec is everything the client needs to know about one operation. The op
// table below is the single place these facts live; do() reads nothing else.
type opSpec struct {
	name string
	// method is GET only for healthCheck; every other operation is POST.
	method string
	base   base
	// stateChanging operations are not sent in dry run.
	stateChanging bool
	// idempotent operations may be resent after an ambiguous failure (the
	// connection dropped after the request was written). Reads, notes and
	// PINs are; orders, disconnects, reservations and cancels are not.
	idempotent bool
	// empty430 marks listings where body code 430 ("No Result(s) Found")
	// means an empty result, not an error.
	empty430 bool
	// retry431 marks operations where body code 431 means "Unable to
	// complete the request at the moment, please try again". On tnReserve
	// 431 means "Request exceeds the maximum number of reserved TNs".
	retry431 bool
	// privateKey is false only for healthCheck.
	privateKey bool
}

// ops is the operation table.
var ops = map[string]opSpec{
	// Numbers: reads.
	OpTnInventory:         read(OpTnInventory, true),
	OpTnReservedList:      read(OpTnReservedList, true),
	OpTnInventoryCoverage: read(OpTnInventoryCoverage, true),
	OpTnAssignedList:      read(OpTnAssignedList, true),
	OpTnDetail:            read(OpTnDetail, true),
	// Numbers: changes.
	OpTnReserve:        {name: OpTnReserve, method: "POST", stateChanging: true, idempotent: false, retry431: false, privateKey: true},
	OpTnRelease:        change(OpTnRelease, false),
	OpTnOrder:          change(OpTnOrder, false),
	OpTnUpdate:         change(OpTnUpdate, false),
	OpTnFeatureOrder:   change(OpTnFeatureOrder, false),
	OpTnDisconnect:     change(OpTnDisconnect, false),
	OpPortOutPinUpdate: change(OpPortOutPinUpdate, true),
	OpTnNoteUpdate:     change(OpTnNoteUpdate, true),
	// Orders.
	OpOrderList:           read(OpOrderList, true),
	OpOrderDetail:         read(OpOrderDetail, false),
	OpExcludedTnList:      read(OpExcludedTnList, true),
	OpExcludedFeatureList: read(OpExcludedFeatureList, true),
	OpExcludedE911Detail:  read(OpExcludedE911Detail, true),
	OpOrderNote:           read(OpOrderNote, true),
	OpOrderCancel:         change(OpOrderCancel, false),
	OpOrderAddNote:        change(OpOrderAddNote, false),
	// Exports (exports.go).
	OpMessageDetailSearch:     read(OpMessageDetailSearch, true),
	OpE911CallSearch:          read(OpE911CallSearch, true),
	OpMessageCampaigns:        read(OpMessageCampaigns, true),
	OpTnMessagingCampaignList: read(OpTnMessagingCampaignList, true),
	OpTnFeatureCnamList:       read(OpTnFeatureCnamList, true),
	OpTnFeatureDLList:         read(OpTnFeatureDLList, true),
	OpTnFeatureE911List:       read(OpTnFeatureE911List, true),
	OpTnFeatureMessageList:    read(OpTnFeatureMessageList, true),
	// E911 and messaging (e911.go, messaging.go). Setting an address, a
	// notification email, messaging or a campaign again changes nothing.
	OpTnE911:                       change(OpTnE911, true),
	OpTnE911Validate:               read(OpTnE911Validate, false),
	OpTnE911Notification:           change(OpTnE911Notification, true),
	OpTnE911NotificationList:       read(OpTnE911NotificationList, false),
	OpCustomerE911Notification:     change(OpCustomerE911Notification, true),
	OpCustomerE911NotificationList: read(OpCustomerE911NotificationList, false),
	OpTnMessaging:                  change(OpTnMessaging, true),
	OpTnMessagingCampaign:          change(OpTnMessagingCampaign, true),
	// Toll free, forwarding, CICs, order documents (tollfree.go).
	OpTfInventory:          read(OpTfInventory, true),
	OpTfDetail:             read(OpTfDetail, true),
	OpTfFeatureCNamList:    read(OpTfFeatureCNamList, true),
	OpTfFeatureMessageList: read(OpTfFeatureMessageList, true),
	OpTfFeatureE911List:    read(OpTfFeatureE911List, true),
	OpTnForwardList:        read(OpTnForwardList, true),
	OpTfForwardList:        read(OpTfForwardList, true),
	OpCicList:              read(OpCicList, true),
	OpOrderDocument:        read(OpOrderDocument, true),
	OpTfOrder:              change(OpTfOrder, false),
	OpTfUpdate:             change(OpTfUpdate, false),
	OpTfDisconnect:         change(OpTfDisconnect, false),
	OpTfFeatureOrder:       change(OpTfFeatureOrder, false),
	// Forwarding sets (or removes) a number's forwardTo: sending the same
	// setting again leaves the same state.
	OpTnForward:        change(OpTnForward, true),
	OpTfForward:        change(OpTfForward, true),
	OpOrderAddDocument: change(OpOrderAddDocument, false),
	// Network listings (network.go).
	OpTrunkGroupSearchAssigned:   read(OpTrunkGroupSearchAssigned, true),
	OpTrunkGroupUtilization:      read(OpTrunkGroupUtilization, true),
	OpRoutingLabelSearchAssigned: read(OpRoutingLabelSearchAssigned, true),
	OpRoutingLabelDetail:         read(OpRoutingLabelDetail, true),
	// Port-in (portin.go).
	OpPortInAvailability:             read(OpPortInAvailability, false),
	OpPortInOrder:                    change(OpPortInOrder, false),
	OpPortInOrderAvailableActivation: read(OpPortInOrderAvailableActivation, true),
	OpPortInOrderActivate:            change(OpPortInOrderActivate, false),
	OpPortInOrderTnList:              read(OpPortInOrderTnList, true),
	OpPortInOrderList:                read(OpPortInOrderList, true),
	OpTnCsrLookup:                    read(OpTnCsrLookup, false),
	OpOrderUpdate:                    change(OpOrderUpdate, true),
	// Reference and report (reference.go).
	OpRateCenterCoverage:   read(OpRateCenterCoverage, true),
	OpLataInventory:        read(OpLataInventory, true),
	OpTnFeatureCnamDip:     read(OpTnFeatureCnamDip, true),
	OpTicketList:           read(OpTicketList, true),
	OpTicketDetail:         read(OpTicketDetail, true),
	OpTicketNote:           read(OpTicketNote, true),
	OpAccountDefaultDetail: read(OpAccountDefaultDetail, false),
	OpSwitchLocationList:   read(OpSwitchLocationList, true),
	OpDtmfRelayList:        read(OpDtmfRelayList, true),
	OpCustomerLocationList: read(OpCustomerLocationList, true),
	OpVoiceScriptDetail:    read(OpVoiceScriptDetail, true),
	OpAddressValidate:      read(OpAddressValidate, false),
	// International lookups (intl.go).
	OpIntlCountryList:           read(OpIntlCountryList, true),
	OpIntlAreaCodeInfo:          read(OpIntlAreaCodeInfo, true),
	OpIntlNumberTypes:           read(OpIntlNumberTypes, true),
	OpIntlRoutingOptionList:     read(OpIntlRoutingOptionList, true),
	OpIntlOrderList:             read(OpIntlOrderList, true),
	OpIntlPortInOrderList:       read(OpIntlPortInOrderList, true),
	OpIntlOrderDetail:           read(OpIntlOrderDetail, false),
	OpIntlTnDetail:              read(OpIntlTnDetail, true),
	OpIntlExcludedTnList:        read(OpIntlExcludedTnList, true),
	OpIntlTnInventory:           read(OpIntlTnInventory, true),
	OpIntlTnReservedList:        read(OpIntlTnReservedList, true),
	OpIntlOrderDocument:         read(OpIntlOrderDocument, true),
	OpIntlOrderDocumentDownload: read(OpIntlOrderDocumentDownload, false),
	OpIntlTnDocumentDownload:    read(OpIntlTnDocumentDownload, false),
	// International changes: orders, port-ins, disconnects, reservations,
	// cancels, requests, order notes and documents are not idempotent (a
	// resend makes a second one); setting routing, end user or a number's
	// note again leaves the same state.
	OpIntlTnReserve:           change(OpIntlTnReserve, false),
	OpIntlTnOrder:             change(OpIntlTnOrder, false),
	OpIntlPortInOrder:         change(OpIntlPortInOrder, false),
	OpIntlTnDisconnect:        change(OpIntlTnDisconnect, false),
	OpIntlOrderCancel:         change(OpIntlOrderCancel, false),
	OpIntlTnRequest:           change(OpIntlTnRequest, false),
	OpIntlOrderAddNote:        change(OpIntlOrderAddNote, false),
	OpIntlOrderAddContactNote: change(OpIntlOrderAddContactNote, false),
	OpIntlOrderAddDocument:    change(OpIntlOrderAddDocument, false),
	OpIntlTnAddDocument:       change(OpIntlTnAddDocument, false),
	OpIntlTnUpdate:            change(OpIntlTnUpdate, true),
	OpIntlTnRoutingUpdate:     change(OpIntlTnRoutingUpdate, true),
	OpIntlTnEndUser:           change(OpIntlTnEndUser, true),
	OpIntlTnNoteUpdate:        change(OpIntlTnNoteUpdate, true),
	OpIntlTnAddNote:           change(OpIntlTnAddNote, true),
	// Port-out (portout.go): a second approval or rejection is refused.
	OpPortOutApproval:  change(OpPortOutApproval, false),
	OpTnPortOutReject:  change(OpTnPortOutReject, false),
	OpTnPortOutHistory: read(OpTnPortOutHistory, true),
	// Renames (rename.go): the old name is gone after the first.
	OpTrunkGroupUpdate:   change(OpTrunkGroupUpdate, false),
	OpRoutingLabelUpdate: change(OpRoutingLabelUpdate, false),
	// Setting the same whole defaults again changes nothing.
	OpAccountDefault: change(OpAccountDefault, true),
	// Trouble tickets (ticket.go): a resend opens a second ticket.
	OpTicketCreate:  change(OpTicketCreate, false),
	OpTicketAddNote: change(OpTicketAddNote, false),
	// Ticket documents (ticketdoc.go): a resend attaches a second copy.
	OpTicketAddDocument: change(OpTicketAddDocument, false),
	OpTicketDocument:    read(OpTicketDocument, true),
	// Setting a voice script again leaves the same script (voicescript.go).
	OpVoiceScript: change(OpVoiceScript, true),
	// A second tnRequest makes a second order (tnrequest.go).
	OpTnRequest: change(OpTnRequest, false),
	// Read-only administration (admin.go): the API keys (ClientMgmt) and
	// trunk group orders (Beta).
	OpGetClientList:         {name: OpGetClientList, method: "POST", base: baseClientMgmt, idempotent: true, retry431: true, privateKey: true},
	OpTrunkGroupOrderList:   read(OpTrunkGroupOrderList, true),
	OpTrunkGroupOrderDetail: read(OpTrunkGroupOrderDetail, false),
	// Health.
	OpHealthCheck: {name: OpHealthCheck, method: "GET", base: baseHealthChecker, idempotent: true, retry431: true},
}

func read(name string, empty430 bool) opSpec {
	return opSpec{name: name, method: "POST", idempotent: true, empty430: empty430, retry431: true, privateKey: true}
}

func change(name string, idempotent bool) opSpec {
	return opSpec{name: name, method: "POST", stateChanging: true, idempotent: idempotent, retry431: true, privateKey: true}
}

// IsStateChanging reports whether the named operation changes state at
// Inteliquent (and so is skipped in dry run). Unknown names report true.
func IsStateChanging(op string) bool {
	s, ok := ops[op]
	return !ok || s.stateChanging
}

// IsIdempotent reports whether the named operation may be resent after an
// ambiguous failure. Unknown names report false.
func IsIdempotent(op string) bool {
	s, ok := ops[op]
	return ok && s.idempotent
}
