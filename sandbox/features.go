package sandbox

import (
	"encoding/binary"
	"hash/fnv"
)

// Background feature provisioning failures (the feature-fail fault). The
// guide's orderDetail example shows a feature "Failed" (dlStatus, guide 9897) without
// saying where the reason is; its excludedFeatureList and
// excludedE911Detail examples show reasons. A failing feature is decided
// per order, number and feature from a hash of the world's seed, so the
// same journal replays to the same state.

// Reasons of provisioning failures. Messaging's is the guide's own text
// (tnMessaging 425, guide 4507); the others follow its form.
const (
	reasonCNAMFailed = "Unable to provision Calling Name for this TN"
	reasonDLFailed   = "Unable to provision Directory Listing for this TN"
	reasonE911Failed = "Unable to provision E911 for this TN"
	reasonMsgFailed  = "Unable to provision messaging for this TN. Please contact Inteliquent messaging team."
)

// featureFailure decides whether feature of tn on order id fails, and
// whether the failure has an exclusion entry.
func (st *state) featureFailure(id int64, tn uint64, feature string) (failed, listed bool) {
	if st.featureFail <= 0 {
		return false, false
	}
	h := fnv.New64a()
	var b [24]byte
	binary.BigEndian.PutUint64(b[:8], uint64(st.w.seed))
	binary.BigEndian.PutUint64(b[8:16], uint64(id))
	binary.BigEndian.PutUint64(b[16:], tn)
	h.Write(b[:])
	h.Write([]byte(feature))
	x := h.Sum64()
	return float64(x%1_000_000)/1_000_000 < st.featureFail, x>>63 == 0
}

// provisioningFailures adds background failures of v's requested features
// to o and returns fx and e911Bad with the failed features marked, so that
// they are not stored on the number.
func (st *state) provisioningFailures(o *order, v screened, fx []string, e911Bad bool) ([]string, bool) {
	f := v.item.TnFeature
	if f == nil || st.featureFail <= 0 {
		return fx, e911Bad
	}
	has := func(r string) bool {
		for _, x := range fx {
			if x == r {
				return true
			}
		}
		return false
	}
	t := tnString(v.tn)
	for _, c := range []struct {
		name   string
		sent   bool
		marker string // the exclusion that keeps applyFeatures from storing it
		reason string
	}{
		{"cnam", f.CallerID.get("callingName") != "" && !removing(f.CallerID), reasonCNAMInvalid, reasonCNAMFailed},
		{"dl", len(f.DirectoryListing) > 0 && !removing(f.DirectoryListing), reasonDLUnsupported, reasonDLFailed},
		{"e911", len(f.E911) > 0 && !removing(f.E911) && !e911Bad, reasonE911Unsupp, reasonE911Failed},
		{"msg", len(f.Messaging) > 0 && !removing(f.Messaging), reasonMsgUnsupported, reasonMsgFailed},
	} {
		if !c.sent || has(c.marker) {
			continue
		}
		failed, listed := st.featureFailure(o.ID, v.tn, c.name)
		if !failed {
			continue
		}
		switch {
		case c.name == "e911" && listed:
			o.E911Excl = append(o.E911Excl, e911Exclusion{t, cloneFields(f.E911), reasonE911Failed})
		case listed:
			o.FeatureExcl = append(o.FeatureExcl, exclusion{t, c.reason})
		default:
			o.FeatureFail = append(o.FeatureFail, exclusion{t, c.reason})
		}
		if c.name == "e911" {
			e911Bad = true
		} else {
			fx = append(fx, c.marker)
		}
	}
	return fx, e911Bad
}
