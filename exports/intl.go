package exports

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
)

// The international lookups: intl-countries (intlCountryList) and, for
// --country-ref (default: every supported country), intl-area-codes
// (intlAreaCodeInfo), intl-number-types (intlNumberTypes) and
// intl-routing-options (intlRoutingOptionList).

func intlKinds() []*Kind {
	return []*Kind{
		{
			Name:    "intl-countries",
			Help:    "countries international numbers are offered in (intlCountryList)",
			Ops:     []string{inteliquent.OpIntlCountryList},
			Columns: func(map[string]string) []string { return []string{"country_name", "country_ref", "country_code"} },
			Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
				return newOneShot(state, func(ctx context.Context) ([][]string, error) {
					l, err := env.API.IntlCountryList(ctx)
					if err != nil {
						return nil, err
					}
					rows := make([][]string, len(l.CountryList))
					for i, c := range l.CountryList {
						rows[i] = []string{c.CountryName, c.CountryRef, string(c.CountryCode)}
					}
					return rows, nil
				})
			},
		},
		perCountryKind("intl-area-codes", "area codes of --country-ref, or of every country (intlAreaCodeInfo)", inteliquent.OpIntlAreaCodeInfo,
			[]string{"country_ref", "area_code", "city", "prefix"},
			func(ctx context.Context, api *inteliquent.Client, ref string) ([][]string, error) {
				r, err := api.IntlAreaCodeInfo(ctx, &inteliquent.IntlCountryRequest{CountryRef: ref})
				if err != nil {
					return nil, err
				}
				rows := make([][]string, len(r.AreaCodeList))
				for i, a := range r.AreaCodeList {
					rows[i] = []string{ref, string(a.AreaCode), a.City, string(a.Prefix)}
				}
				return rows, nil
			}),
		perCountryKind("intl-number-types", "number types of --country-ref, or of every country (intlNumberTypes)", inteliquent.OpIntlNumberTypes,
			[]string{"country_ref", "number_type", "number_type_ref"},
			func(ctx context.Context, api *inteliquent.Client, ref string) ([][]string, error) {
				r, err := api.IntlNumberTypes(ctx, &inteliquent.IntlCountryRequest{CountryRef: ref})
				if err != nil {
					return nil, err
				}
				rows := make([][]string, len(r.NumberTypeList))
				for i, n := range r.NumberTypeList {
					rows[i] = []string{ref, n.NumberType, n.NumberTypeRef}
				}
				return rows, nil
			}),
		perCountryKind("intl-routing-options", "routing options of --country-ref, or of every country (intlRoutingOptionList)", inteliquent.OpIntlRoutingOptionList,
			[]string{"country_ref", "routing_option"},
			func(ctx context.Context, api *inteliquent.Client, ref string) ([][]string, error) {
				r, err := api.IntlRoutingOptionList(ctx, &inteliquent.IntlCountryRequest{CountryRef: ref})
				if err != nil {
					return nil, err
				}
				rows := make([][]string, len(r.IntlRoutingOptionList))
				for i, o := range r.IntlRoutingOptionList {
					rows[i] = []string{ref, o.RoutingOption}
				}
				return rows, nil
			}),
	}
}

// perCountryKind is a lookup asked once per country: --country-ref, or
// every country intlCountryList names, one page each.
func perCountryKind(name, help, op string, cols []string, fetch func(ctx context.Context, api *inteliquent.Client, ref string) ([][]string, error)) *Kind {
	return &Kind{
		Name:    name,
		Help:    help,
		Ops:     []string{op, inteliquent.OpIntlCountryList},
		Filters: []Filter{{Flag: "country-ref", Param: "countryRef", Help: "ISO3 country codes, comma separated (default: every supported country)"}},
		Columns: func(map[string]string) []string { return cols },
		Open: func(ctx context.Context, env *Env, state json.RawMessage) (Source, error) {
			var refs []string
			for _, r := range strings.Split(env.Params["country-ref"], ",") {
				if r = strings.ToUpper(strings.TrimSpace(r)); r != "" {
					if len(r) != 3 {
						return nil, fmt.Errorf("--country-ref %q: %w: an ISO3 code such as FRA", r, ErrUsage)
					}
					refs = append(refs, r)
				}
			}
			if len(refs) == 0 {
				l, err := env.API.IntlCountryList(ctx)
				if err != nil {
					return nil, err
				}
				for _, c := range l.CountryList {
					refs = append(refs, c.CountryRef)
				}
			}
			s := &taskSource{n: len(refs), fetch: func(ctx context.Context, i int) ([][]string, error) {
				rows, err := fetch(ctx, env.API, refs[i])
				if err != nil {
					return nil, fmt.Errorf("%s %s: %w", op, refs[i], err)
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
