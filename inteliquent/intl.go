package inteliquent

import "context"

// International Voice Services: the lookups (intlCountryList,
// intlAreaCodeInfo, intlNumberTypes, intlRoutingOptionList). The guide's
// heading spells int1NumberTypes; its example's intlNumberTypes is sent.
const (
	OpIntlCountryList       = "intlCountryList"
	OpIntlAreaCodeInfo      = "intlAreaCodeInfo"
	OpIntlNumberTypes       = "intlNumberTypes"
	OpIntlRoutingOptionList = "intlRoutingOptionList"
)

// IntlCountry is one countryList entry.
type IntlCountry struct {
	CountryName string     `json:"countryName"`
	CountryRef  string     `json:"countryRef"`  // ISO3, e.g. FRA
	CountryCode FlexString `json:"countryCode"` // phone access code, e.g. 33
}

// IntlCountryListResponse lists the supported countries.
type IntlCountryListResponse struct {
	Envelope
	CountryList []IntlCountry `json:"countryList"`
}

// IntlCountryList lists the countries international numbers are offered in.
func (c *Client) IntlCountryList(ctx context.Context) (*IntlCountryListResponse, error) {
	return call[IntlCountryListResponse](ctx, c, OpIntlCountryList, nil)
}

// IntlCountryRequest names one country (intlAreaCodeInfo, intlNumberTypes,
// intlRoutingOptionList).
type IntlCountryRequest struct {
	CountryRef string `json:"countryRef"`
}

// IntlAreaCode is one areaCodeList entry.
type IntlAreaCode struct {
	CountryRef string     `json:"countryRef"`
	AreaCode   FlexString `json:"areaCode"`
	City       string     `json:"city"`
	Prefix     FlexString `json:"prefix"`
}

// IntlAreaCodeInfoResponse lists a country's area codes.
type IntlAreaCodeInfoResponse struct {
	Envelope
	AreaCodeList []IntlAreaCode `json:"areaCodeList"`
}

// IntlAreaCodeInfo lists a country's supported area codes.
func (c *Client) IntlAreaCodeInfo(ctx context.Context, req *IntlCountryRequest) (*IntlAreaCodeInfoResponse, error) {
	return call[IntlAreaCodeInfoResponse](ctx, c, OpIntlAreaCodeInfo, req)
}

// IntlNumberType is one numberTypeList entry ("Inbound DID", "INBDID").
type IntlNumberType struct {
	NumberType    string `json:"numberType"`
	NumberTypeRef string `json:"numberTypeRef"`
}

// IntlNumberTypesResponse lists a country's number types.
type IntlNumberTypesResponse struct {
	Envelope
	NumberTypeList []IntlNumberType `json:"numberTypeList"`
}

// IntlNumberTypes lists a country's number types.
func (c *Client) IntlNumberTypes(ctx context.Context, req *IntlCountryRequest) (*IntlNumberTypesResponse, error) {
	return call[IntlNumberTypesResponse](ctx, c, OpIntlNumberTypes, req)
}

// IntlRoutingOptionListResponse lists a country's routing options.
type IntlRoutingOptionListResponse struct {
	Envelope
	IntlRoutingOptionList []struct {
		RoutingOption string `json:"routingOption"`
	} `json:"intlRoutingOptionList"`
}

// IntlRoutingOptionList lists the routing options of a country.
func (c *Client) IntlRoutingOptionList(ctx context.Context, req *IntlCountryRequest) (*IntlRoutingOptionListResponse, error) {
	return call[IntlRoutingOptionListResponse](ctx, c, OpIntlRoutingOptionList, req)
}
