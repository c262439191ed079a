package exports

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/iqbulk/iqbulk/inteliquent"
)

// Read-only account administration: api-clients (getClientList: which API
// keys exist, for a security audit; never a secret, of a key only its last
// four characters) and trunk-group-orders (trunkGroupOrderList, then
// trunkGroupOrderDetail per order; Beta in the guide).
func adminKinds() []*Kind { return []*Kind{apiClientsKind(), trunkGroupOrdersKind()} }

func apiClientsKind() *Kind {
	return &Kind{
		Name: "api-clients",
		Help: "the account's API keys, for a security audit: name, primary, created, updated and the key's last four characters; never a secret (getClientList, ClientMgmt)",
		Ops:  []string{inteliquent.OpGetClientList},
		Columns: func(map[string]string) []string {
			return []string{"company_name", "key_name", "key_last4", "is_primary", "created_date", "updated_at"}
		},
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				r, err := env.API.GetClientList(ctx)
				if err != nil {
					return nil, err
				}
				var rows [][]string
				for _, k := range r.CompanyKeyDetails.ClientKeys {
					rows = append(rows, []string{r.CompanyKeyDetails.CompanyName, k.KeyName, "…" + string(k.PrivateKey), string(k.IsPrimary), k.CreatedDate, k.UpdatedAt})
				}
				return rows, nil
			})
		},
	}
}

// trunkGroupOrderFields are trunkGroupOrderList's fields, in the guide's order.
var trunkGroupOrderFields = []string{"orderId", "serviceType", "inteliquentSwitchLocation", "orderType", "orderStatus", "customerOrderReference",
	"createdUser", "createdDate", "desiredDueDate", "customerTrunkGroupName", "trunkGroupName", "twoSixCode", "inteliquentLocation", "customerLocation",
	"inteliquentTrunkGroupNumber", "customerTrunkGroupNumber", "sipManagementType", "customerSwitchDescription", "signallingType", "trafficClassType",
	"inteliquentClassType", "customerClassType", "trafficUseType", "trunkModifierType", "inteliquentSignallingType", "customerSignallingType",
	"accessType", "sessionCountForecast", "sipOption", "useBillingTaxLocation", "addressLine1", "addressLine2", "city", "state", "postalCode",
	"country", "fqdnResolutionType", "pendingSessionCount", "activeSessionCount"}

// snake turns a guide field name into a column name (orderId -> order_id).
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func trunkGroupOrdersKind() *Kind {
	return &Kind{
		Name: "trunk-group-orders",
		Help: "trunk group orders with their signaling, media, FQDN and codec settings (trunkGroupOrderList, then trunkGroupOrderDetail per order). The guide marks both operations Beta, for internal use only: your account may not have them",
		Ops:  []string{inteliquent.OpTrunkGroupOrderList, inteliquent.OpTrunkGroupOrderDetail},
		Filters: []Filter{
			{Flag: "order-id", Param: "orderId", Help: "one trunk group order"},
		},
		Columns: func(map[string]string) []string {
			out := make([]string, 0, len(trunkGroupOrderFields)+5)
			for _, f := range trunkGroupOrderFields {
				out = append(out, snake(f))
			}
			return append(out, "sip_signaling", "media_ips", "fqdns", "codecs", "e911_enabled")
		},
		Open: func(ctx context.Context, env *Env, state json.RawMessage) (Source, error) {
			var id int64
			if v := strings.TrimSpace(env.Params["order-id"]); v != "" {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("--order-id %q is not an order number: %w", v, ErrUsage)
				}
				id = n
			}
			l, err := env.API.TrunkGroupOrderList(ctx, &inteliquent.TrunkGroupOrderRequest{OrderID: id})
			if err != nil {
				return nil, fmt.Errorf("trunkGroupOrderList: %w", err)
			}
			orders := l.TrunkGroupOrderList
			s := &taskSource{n: len(orders), fetch: func(ctx context.Context, i int) ([][]string, error) {
				o := orders[i]
				row := make([]string, 0, len(trunkGroupOrderFields)+5)
				for _, f := range trunkGroupOrderFields {
					row = append(row, string(o[f]))
				}
				oid, err := strconv.ParseInt(string(o["orderId"]), 10, 64)
				if err != nil {
					return nil, fmt.Errorf("trunkGroupOrderList: order id %q: %w", o["orderId"], err)
				}
				d, err := env.API.TrunkGroupOrderDetail(ctx, &inteliquent.TrunkGroupOrderRequest{OrderID: oid})
				if err != nil {
					return nil, fmt.Errorf("trunkGroupOrderDetail %d: %w", oid, err)
				}
				return [][]string{append(row, trunkOrderLists(&d.TrunkGroupOrderDetail)...)}, nil
			}}
			if err := decodeState(state, &s.st); err != nil {
				return nil, err
			}
			return s, nil
		},
	}
}

// trunkOrderLists flattens a detail's lists into cells: "ip:port (direction)",
// IPs, "domain:port", "codec/packetSize ms/priority", separated by "; ".
func trunkOrderLists(d *inteliquent.TrunkGroupOrderDetail) []string {
	var sig, media, fqdns, codecs []string
	for _, s := range d.CustomerSipSignalingList.CustomerSipSignalingItem {
		sig = append(sig, fmt.Sprintf("%s:%s (%s)", s.IPAddress, s.Port, s.Direction))
	}
	for _, m := range d.CustomerMediaList.CustomerMediaItem {
		media = append(media, m.IPAddress)
	}
	for _, f := range d.FqdnList.FqdnItem {
		fqdns = append(fqdns, f.DomainName+":"+string(f.Port))
	}
	for _, c := range d.CodecList.CodecItem {
		codecs = append(codecs, fmt.Sprintf("%s/%sms/priority %s/dtmf %s", c["codec"], c["packetSize"], c["priority"], c["dtmfRelay"]))
	}
	return []string{strings.Join(sig, "; "), strings.Join(media, "; "), strings.Join(fqdns, "; "), strings.Join(codecs, "; "), d.TrunkGroupFeature.E911Enabled}
}
