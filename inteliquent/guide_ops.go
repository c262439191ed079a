package inteliquent

// GuideOp is one callable operation of the guide, as spec/ENDPOINTS.md §0
// lists it.
type GuideOp struct {
	// Num is the operation's number in spec/ENDPOINTS.md (1..139).
	Num int
	// Name is the path the client sends: the guide's example spelling where
	// its heading has a typo (int1TnDetail is sent as intlTnDetail).
	Name string
	// Heading is the path as the guide's heading spells it.
	Heading string
	Method  string
	Title   string
	// Area is the guide's chapter: numbers, international, port-in,
	// toll-free, network, orders, trouble-tickets, reference, deprecated,
	// account, health, client-management, message-broker.
	Area string
	// Kind is ENDPOINTS.md's kind: lookup, paginated export, admin...
	Kind string
}

// GuideOps returns every callable operation of the guide, in its order.
func GuideOps() []GuideOp {
	out := make([]GuideOp, len(guideOps))
	copy(out, guideOps[:])
	return out
}

// LeftOutReason says why iqbulk offers no job or export kind for an
// operation of the guide ("" when it has none to give: the operation is
// meant to be used by a kind).
func LeftOutReason(op string) string { return leftOut[op] }

const (
	reasonClientMgmt = "account administration: API keys are created, reset and deleted by hand, once, not in bulk"
	reasonBeta       = "the guide marks it Beta, internal use only"
	reasonBroker     = "message broker: production only (the guide: no sandbox environment), and sending messages is not provisioning"
)

// leftOut holds the reason for every operation of the guide that no job or
// export kind uses. A test checks that the two sets never overlap and
// together cover the guide.
var leftOut = map[string]string{
	"registerClient": reasonClientMgmt,
	"resetClient":    reasonClientMgmt,
	"updateClient":   reasonClientMgmt,
	"deleteClient":   reasonClientMgmt,

	"trunkGroupSessionUpdate": reasonBeta,
	"trunkGroupOrder":         reasonBeta,
	"changeTrunkGroupOrder":   reasonBeta,

	"healthCheck": "used by `iqbulk check`, the pre-flight command, not by a job or export",

	"tnMessagingOrder":     "DEPRECATED in the guide: jobs messaging and tn-order (messaging feature) replace it",
	"tnE911Order":          "DEPRECATED in the guide: job e911 (tnE911) replaces it",
	"tnSearchAssigned":     "DEPRECATED in the guide: export assigned (tnDetail) replaces it",
	"portInMessagingOrder": "DEPRECATED in the guide: job port-in with messaging replaces it",
	"tfMessagingOrder":     "DEPRECATED in the guide: job tf-feature (messaging) replaces it",
	"tfFeatureDetail":      "DEPRECATED in the guide: export tf-assigned (tfDetail) replaces it",

	"publishMessages":        reasonBroker,
	"selectAuthorization":    reasonBroker,
	"configureAuthorization": reasonBroker,
	"removeAuthorization":    reasonBroker,
}
