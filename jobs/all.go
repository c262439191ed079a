package jobs

// all lists every job kind iqbulk ships. Adding a kind: write its file and
// add it here.
func all() []Job {
	return []Job{
		tnOrder{},
		portCheck{},
		csr{},
		portIn{},
		portInFix{},
		portInActivate{},
		orderCancel{},
		tnNote{},
		tnDisconnect{},
		tnTrunkGroup{},
		tnFeature{},
		tnPin{},
		tnReserve{},
		tnRelease{}, tnRequest{},
		e911Validate{}, e911{}, e911Remove{}, e911Notify{}, e911Notify{remove: true}, customerE911Notify{},
		messaging{}, messaging{remove: true}, campaign{}, campaign{remove: true},
		tfOrderJob{}, tfRouting{}, tfFeatureJob{}, tfDisconnect{}, forwardJob{}, forwardJob{tollFree: true},
		portOutApprove{}, portOutReject{}, orderNote{}, addressValidate{},
		trunkGroupUpdate{}, routingLabelUpdate{}, accountDefault{}, ticketCreate{}, ticketNoteJob{}, ticketDocumentJob{},
		voiceScriptJob{}, voiceScriptJob{remove: true},
		intlOrder{}, intlReserve{}, intlDisconnect{}, intlOrderCancel{}, intlUpdate{},
		intlPortIn{}, intlOrderNote{}, intlRequest{}, intlDocument{}, // intl_*.go
	}
}
