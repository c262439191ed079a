package jobs

import "github.com/iqbulk/iqbulk/inteliquent"

// Building the request objects of the endUser and tnFeature columns
// (features.go declares and validates them): one setter per object of the
// guide, a removal pass, and the assembly that leaves out every object the
// row does not touch.

// featureObjects holds one value of each object a row may set.
type featureObjects struct {
	endUser   inteliquent.EndUser
	callerID  inteliquent.CallerID
	dl        inteliquent.DirectoryListing
	e911      inteliquent.E911
	messaging inteliquent.Messaging
	has       map[string]bool // groups the row sets or removes
}

// buildFeatures makes the request objects from parsed fields: nil when the
// row sets nothing in them.
func buildFeatures(fields map[string]string) (*inteliquent.EndUser, *inteliquent.TnFeature) {
	o := featureObjects{has: map[string]bool{}}
	for _, f := range featureFields() {
		if v := fields[f.col]; v != "" {
			o.set(f, v)
		}
	}
	o.remove(fields)
	return o.assemble()
}

// set puts one field's value into its object.
func (o *featureObjects) set(f featureField, v string) {
	o.has[f.group] = true
	var ok bool
	switch f.group {
	case groupEndUser:
		ok = setEndUser(&o.endUser, f.field, v)
	case groupCallerID:
		ok = setCallerID(&o.callerID, f.field, v)
	case groupDL:
		ok = setDirectoryListing(&o.dl, f.field, v)
	case groupE911:
		ok = setE911(&o.e911, f.field, v)
	case groupMessaging:
		ok = setMessaging(&o.messaging, f.field, v)
	}
	if !ok {
		panic("jobs: feature field without a request field: " + f.group + "." + f.field)
	}
}

// remove marks the objects whose remove_<feature> column is Y.
func (o *featureObjects) remove(fields map[string]string) {
	for _, rc := range removeColumns() {
		if fields[rc.col] != "Y" {
			continue
		}
		o.has[rc.group] = true
		switch rc.group {
		case groupCallerID:
			o.callerID.RemoveTnFeature = "Y"
		case groupDL:
			o.dl.RemoveTnFeature = "Y"
		case groupE911:
			o.e911.RemoveTnFeature = "Y"
		case groupMessaging:
			o.messaging.RemoveTnFeature = "Y"
		}
	}
}

// assemble returns the objects the row touched.
func (o *featureObjects) assemble() (*inteliquent.EndUser, *inteliquent.TnFeature) {
	var endUser *inteliquent.EndUser
	if o.has[groupEndUser] {
		endUser = &o.endUser
	}
	var tf inteliquent.TnFeature
	if o.has[groupCallerID] {
		tf.CallerID = &o.callerID
	}
	if o.has[groupDL] {
		tf.DirectoryListing = &o.dl
	}
	if o.has[groupE911] {
		tf.E911 = &o.e911
	}
	if o.has[groupMessaging] {
		tf.Messaging = &o.messaging
	}
	if tf == (inteliquent.TnFeature{}) {
		return endUser, nil
	}
	return endUser, &tf
}

func setEndUser(eu *inteliquent.EndUser, field, v string) bool {
	fs := inteliquent.FlexString(v)
	switch field {
	case "name":
		eu.Name = v
	case "streetNum":
		eu.StreetNum = fs
	case "streetPreDir":
		eu.StreetPreDir = v
	case "streetName":
		eu.StreetName = v
	case "streetType":
		eu.StreetType = v
	case "streetPostDir":
		eu.StreetPostDir = v
	case "locationType1":
		eu.LocationType1 = v
	case "locationValue1":
		eu.LocationValue1 = fs
	case "locationType2":
		eu.LocationType2 = v
	case "locationValue2":
		eu.LocationValue2 = fs
	case "locationType3":
		eu.LocationType3 = v
	case "locationValue3":
		eu.LocationValue3 = fs
	case "city":
		eu.City = v
	case "state":
		eu.State = v
	case "postalCode":
		eu.PostalCode = fs
	case "typeOfService":
		eu.TypeOfService = v
	default:
		return false
	}
	return true
}

func setCallerID(cid *inteliquent.CallerID, field, v string) bool {
	switch field {
	case "callingName":
		cid.CallingName = v
	case "cnamDip":
		cid.CnamDip = v
	default:
		return false
	}
	return true
}

func setDirectoryListing(dl *inteliquent.DirectoryListing, field, v string) bool {
	fs := inteliquent.FlexString(v)
	switch field {
	case "lastName":
		dl.LastName = v
	case "firstName":
		dl.FirstName = v
	case "streetNum":
		dl.StreetNum = fs
	case "streetPreDir":
		dl.StreetPreDir = v
	case "streetName":
		dl.StreetName = v
	case "streetType":
		dl.StreetType = v
	case "streetPostDir":
		dl.StreetPostDir = v
	case "location":
		dl.Location = v
	case "city":
		dl.City = v
	case "state":
		dl.State = v
	case "postalCode":
		dl.PostalCode = fs
	default:
		return false
	}
	return true
}

func setE911(e9 *inteliquent.E911, field, v string) bool {
	fs := inteliquent.FlexString(v)
	switch field {
	case "name":
		e9.Name = v
	case "origStreetNum":
		e9.OrigStreetNum = fs
	case "origStreetInfo":
		e9.OrigStreetInfo = v
	case "origLocation":
		e9.OrigLocation = v
	case "origCity":
		e9.OrigCity = v
	case "origState":
		e9.OrigState = v
	case "origPostalCode":
		e9.OrigPostalCode = fs
	case "origPostalCodePlusFour":
		e9.OrigPostalCodePlusFour = fs
	default:
		return false
	}
	return true
}

func setMessaging(msg *inteliquent.Messaging, field, v string) bool {
	switch field {
	case "messageClass":
		msg.MessageClass = v
	case "messageType":
		msg.MessageType = v
	case "netNumberId":
		msg.NetNumberID = inteliquent.FlexString(v)
	default:
		return false
	}
	return true
}
