// Package sandbox is an embedded simulator of the Inteliquent Services API
// (spec/inteliquent-services-api-guide.txt). A *Server is an http.Handler,
// so iqbulk, its tests and its demos run without an account:
//
//	srv, err := sandbox.New(sandbox.Options{StateDir: dir})
//	ts := httptest.NewServer(srv) // or `iqbulk sandbox --listen 127.0.0.1:PORT`
//
// It behaves as the guide says, not as any client expects: same paths
// (/Services/1.0.0/ and /Services/2.0.0/ both work), same JSON names, errors
// as HTTP 200 with a body statusCode, same quirks. It never imports the
// client package; it has its own wire types and lenient decoding (tn as a
// JSON number or a string, numeric strings for integers).
//
// # Endpoints
//
//   - POST /oauth2/token: form client_id/client_secret/grant_type=
//     client_credentials (or a Basic header). The answer copies the guide's
//     example, including "expires_in": 9223372036854775807, but a token
//     really expires after one hour of simulated time. Tokens are stateless
//     (expiry + MAC), so they survive a sandbox restart.
//   - Authorization: "Bearer <token>", "Basic base64(key:secret)" and the
//     guide examples' "Basic <token>". Anything else: HTTP 401 with the
//     guide's 401001 body.
//   - GET /HealthChecker/1.0.0/healthCheck (no auth needed).
//   - POST /ClientMgmt/1.0.0/getClientList (other ClientMgmt calls: 404).
//   - POST Services: tnInventory, tnReserve, tnRelease, tnReservedList,
//     tnInventoryCoverage, tnOrder, tnAssignedList, tnDetail, tnUpdate,
//     tnFeatureOrder, portOutPinUpdate, tnNoteUpdate, tnDisconnect,
//     orderList, orderDetail, excludedTnList, excludedFeatureList,
//     excludedE911Detail, orderCancel, orderAddNote, orderNote, tnE911,
//     tnE911Validate, tnE911Notification(List),
//     customerE911Notification(List), tnMessaging, tnMessagingCampaign. Other
//     operations answer HTTP 404.
//
// # Credentials and privateKey
//
// DemoKey (the guide's sample privateKey) and DemoSecret unless Options
// set others. privateKey must equal the key; missing or wrong answers the
// global code 1403 "Invalid or missing privateKey parameter" (none of the
// simulated Services operations documents its own code). getClientList
// answers 410 "Invalid Request Required field is not sent" without a key
// and 400 " Requested key is not found " for another key (the ClientMgmt
// examples' texts).
//
// # The world
//
// Deterministic from Options.Seed and computed, never stored: WorldSize
// (default 1,000,000) available numbers in NPA-NXX blocks over 29 real
// rate centers (every one the guide's examples name: COLFAX 318-407,
// CRAGMERE 201-335, ORADELL 201-554 and 201-267, RIDGWOOD, WSHNGTNZN1,
// NAPERVILLE 630-420 ...), their LATAs, states and tiers (0, 1, 2, HI, AK,
// PRI, CAN). Only the changes (reservations, orders) are stored. Trunk
// groups on the account: TG_CHICAGO_01 (the default), TG_CHICAGO_02,
// TG_NEWYORK_01, TG_DALLAS_01, CHCGIL24CL1_897, ATLNGAQS08T_266.
//
// Documented test inputs:
//   - (*Server).AvailableTNs(n) returns n numbers available now,
//     deterministically spread over the world.
//   - Never in inventory: any NXX 555 or 999 and any NPA not in the world,
//     e.g. 5555550100, 3125550100, 9995550100. Reason text: "TN is marked
//     Not Available in our inventory".
//   - Reserved by another customer: in every block the numbers just after
//     the available ones in its permutation (about 2% of a block);
//     reason "TN is reserved by another customer".
//   - Pre-provisioned (In Service from the start, activated
//     2017-03-29T14:00:46.000Z by api_user), the guide's example numbers:
//     3123489651-3123489659, 3124795862, 3124795863, 7735162004
//     (CHCGIL24CL1_897) and 2012151499 (BAYONNE, ATLNGAQS08T_266).
//   - Wireless: every NXX ending in 7. The account may order wireless.
//   - Feature exclusions, on orders (excludedFeatureList /
//     excludedE911Detail, visible once validation ends): an e911 whose
//     address does not validate as sent against the address world
//     (excludedE911Detail, guide's reasons; origPostalCode "00000" never
//     validates); directoryListing in rate centers without DL (ELKO NV,
//     MILES CITY MT, TORONTO) "Directory Listing is not supported"; e911 in
//     MILES CITY, SAN JUAN, TORONTO "E911 is not supported"; messaging in
//     ELKO, MILES CITY, ANCHORAGE, SAN JUAN "Messaging is not supported";
//     portOutPin outside Tier 0 and HI "Port-out PIN is not supported"; a
//     callingName without a letter "Calling Name is not valid". The fault
//     feature-fail=P makes background provisioning fail (features.go).
//   - Field limits (limits.go): every row of the guide's Character Limits
//     table and the allowed-value lists, refused before anything changes
//     with 414 "Invalid value entered for: <field>".
//   - E911 address world (addressbook.go; tnE911Validate, tnE911 and the
//     e911 feature of orders): the guide's example streets plus 40
//     synthetic streets per city of the world, derived from the seed
//     ((*Server).E911Addresses(n) hands out valid ones). The guide's
//     examples answer as printed (550 W Adams St, Chicago IL 60661 valid;
//     550 W Adams 60601 corrected to W Adams St 60661; 318 28th, Tucson AZ
//     85713 not close enough with candidates W 28th St and E 28th St;
//     house number 55012345 invalid). A missing or wrong pre-directional or
//     suffix, one typo in the street name, a wrong ZIP in the right city,
//     or a misspelt city with the right ZIP → 1 (corrected); a name shared
//     by streets that differ by direction, without one → 2 with
//     candidates; anything else → 2. Orders provision only what validates
//     as sent (0). 3123488244 and 3123488246 (the tnE911 examples)
//     are In Service. tnE911 on a number not In Service: 409 "Invalid TN
//     submitted:[tn]". tnE911Notification: at most 10 emails per number
//     (460), 461 for a number not on the account. tnMessaging: 425 for a
//     number not In Service or in a rate center without messaging.
//     tnMessagingCampaign: campaigns of messageCampaigns (CTEST01 has ended:
//     414); per number exclusions as for orders; 425 some, 432 all.
//
// # Orders and time
//
// The Order Validation and Order Statuses sections drive everything.
// tnOrder with at most 100 numbers and no callingName, directoryListing,
// e911 or messaging completes synchronously: numbers are In Service at once
// and the answer is {"status": "Success" or "{2=[tn reason, tn reason]}",
// "statusCode": "200", "orderId": "null"}. With features (same status
// grammar) or more than 100 numbers (status "Success") an order is made:
// Incomplete for 12 s (small) or 15 s + 1 s per 100 numbers (large), then
// Pending while numbers move into routing at four per second (features add
// 3 s), then Closed. A large order's invalid numbers appear in
// excludedTnList when validation ends; if none is valid the order is
// Canceled then. tnUpdate, tnFeatureOrder and tnDisconnect validate up to
// 100 numbers at once (exclusions in the status string, orderId "null"
// when none is valid) and background larger requests the same way.
// orderCancel works on Pending orders only (otherwise 410): Pending Cancel
// for 30 s, then Canceled; numbers not yet routed go back (available for a
// new-number order, In Service for a disconnect, old trunk group for an
// update). Disconnected numbers return to the inventory.
//
// Number states (available, reserved, Pending, In Service, Pending
// Disconnect) and order states are computed lazily from timestamps in
// simulated time (real time times ClockSpeed); there are no background
// goroutines. Reservations hold four hours; ReservationLimit (default
// 5000) caps reserved numbers and answers 431 "Request exceeds the maximum
// number of reserved TNs" for the whole request. Each state-changing
// request is applied atomically under one lock.
//
// # Port-in (portin.go, ops_portin.go)
//
// portInAvailability, portInOrder, portInOrderAvailableActivation,
// portInOrderActivate, portInOrderTnList, portInOrderList, tnCsrLookup and
// orderUpdate follow the Port In, Order Validation and Port-In Status
// sections. (*Server).PortableTNs(n) returns numbers that can be ported in
// (held by other carriers in Tier 0 wireline rate centers, e.g.
// 2012150000-2012150099 in BAYONNE for every seed and world size).
//
//   - Portability (portInAvailability, and portInOrder's background
//     validation into excludedTnList): NPA-NXX not in the world "TN is not
//     in an approved Inteliquent rate center"; on the account "TN is already
//     assigned to this customer"; on an open order "TN is on an existing
//     order"; Inteliquent inventory "TN is in Inteliquent inventory; order it
//     with tnOrder"; onNetOnly/searchOnNetOnly outside Tier 0 "TN is not
//     on-net (Tier 0)"; wireless numbers (NXX ending in 7) need wireless Y.
//   - Lifecycle per number: Incomplete while validated (like tnOrder), then
//     Pending; a day later either "Received FOC" with portDt = the desired
//     due date (or the day after the FOC, when later) or jeopardy: tnStatus
//     is the rejection reason, decided by documented inputs: endUser
//     postalCode "00000" "Invalid zip code"; accountNum starting with "000"
//     "Invalid account number"; accountPin "0000" "PIN required/invalid";
//     authName containing "mismatch" "Auth name mismatch". onDemandActivation
//     N completes ("Complete") at portDt + desiredPortTime in its zone
//     (fixed offsets, no daylight saving); Y lists the number's group
//     ("Group ID n - carrier") in portInOrderAvailableActivation from portDt
//     on, and portInOrderActivate makes it "Activated" at once (status
//     string as the guide's, "TN group not available for port<group>" for the
//     others). Completed numbers are In Service in tnDetail; until then they
//     are Pending there. The order closes when every number is done.
//   - orderDetail of a port-in order answers each number's routingLabel: its
//     toll-free routing label when it has one, "" otherwise (every local
//     number, as the guide's example); portInOrderList answers focList (one
//     focItem per portDate, an item without portDate for numbers without
//     an FOC, with their counts) and rejectReasonList (one item per
//     rejection reason with its count), in the guide's shape.
//   - orderUpdate (port-in orders only, Pending only; otherwise 410):
//     merges the sent fields into the numbers, restarts their FOC cycle
//     (a corrected jeopardy goes back to the carrier), cancelTn Y cancels a
//     number; per-number refusals in tnOrder's status grammar; statusCode is
//     the number 200 as in the guide.
//   - tnCsrLookup: 0000000000, 1111111111 and 2222222222 answer as the
//     guide's examples; other numbers of the world get a synthetic CSR (one
//     business account per hundred-block); numbers not in the world or on
//     the account fail with csrLookupResult 1.
//
// # Paging and searchId
//
// tnInventory, tnDetail and orderList answer page, totalPages, totalItems
// and searchId as strings (orderList's statusCode is the number 200, like
// the guide's example; so are orderAddNote's and orderNote's). Default page
// size 100, maximum 10,000; tnInventory without pageSort but with quantity
// uses quantity as the size. A searchId is honoured when pageSort.size is
// absent or 10000 (the guide: "only effective for size = 10000"); with
// another size it is ignored and a new search starts. Continuing a scroll
// needs no other parameter; after the last page it answers an empty page.
// An unknown or expired searchId answers statusCode "410" "Invalid Request:
// searchId is not valid or has expired; start a new search" (the guide
// documents no code; 430 would read as "no more data"). Scrolls expire
// after ScrollTTL of real time without use, when more than 1024 are open,
// on restart, or by ExpireScrolls. tnDetail and orderList scrolls are
// snapshots taken at the first page; tnInventory scrolls are cursors.
// Radius and localCallingArea searches are approximated by the LATA of the
// anchor (NPA-NXX, rate center, city or postal code).
//
// # Errors
//
// 414 "Fields Are Required:<name>" for missing required fields, 414
// "Invalid value entered for: <name>" or "Invalid Input parameters: ..."
// for values that break the guide's rules, 400 "Request format not
// recognized" for malformed JSON, 430 (texts per operation: "No Result
// Found", "No Results found", "No Results Found", "Order not found") for
// empty results, 431 "Unable to complete the request at the moment, please
// try again" for the rate limit and injected errors, 1403 for privateKey.
// portOutPinUpdate and tnNoteUpdate (no per-number format in the guide)
// use tnOrder's status grammar for numbers that are not In Service.
//
// # Persistence, rate limit, faults, audit
//
// With StateDir, applied state changes are appended to journal.jsonl (one
// JSON line each, no fsync; a torn last line is ignored) and replayed by
// New, so a restarted sandbox, or another process after this one, sees
// the same world; the simulated clock resumes after the last entry. An
// exclusive operating-system file lock keeps two processes out of one directory; Reset
// starts over. Rate (requests/s per key, 0 = unlimited; Faults.Rate
// overrides it) answers HTTP 429 with a Retry-After header (whole seconds
// until a request is allowed again) and the guide's body 431 try-again.
// Faults (ParseFaults: "error=0.02,lost=0.01,applied-error=0.05,lag=2s,
// latency=5ms,rate=50,spike=0.05:50ms,seed=7") apply to Services
// operations only: error answers body 431 or HTTP 500 (alternating from a
// seeded RNG) without applying; lost applies, then closes the connection
// without an answer; applied-error applies a state change and then answers
// HTTP 500 (empty or HTML body), HTTP 502 (a gateway page) or HTTP 200 with
// body 500 or 462 (the cases where a real API erred after the change was
// made; requests the operation refuses are answered normally); lag keeps
// applied changes out of every read for that long by the simulated clock
// (lag.go: reads are served from a second state that replays the journal
// Lag late), while state-changing requests see them at once; latency and
// spikes sleep first. Every state-changing request that passed
// authentication, applied or not, is one AuditEntry (audit.jsonl, or
// memory): whether the operation processed it, whether it was applied,
// the numbers it named and those it changed (AppliedNumbers), the fault
// and the HTTP status sent. AppliedTwice and ResentAfterApplied turn the
// audit into duplicate checks; the second can fail even though the sandbox
// refuses a second order of a number already on the account.
//
// # Toll free, forwarding, network (tollfree.go, ops_tollfree.go, ops_network.go)
//
// A toll-free number's registry class follows from the first digit of its
// exchange, for 800, 833, 844, 855, 866, 877 and 888: 5 and 9 are on the
// account's own RespOrgs IQB01 and ABC45 (load with tfOrder 8XX), 2 and 6
// are spare in Inteliquent's inventory, RespOrg LQX01 (tfInventory,
// 8XXAVAIL), 3 and 7 are on another RespOrg, QYR01 (8XXPORTIN); any other
// exchange is "TN is marked Not Available in our inventory". In Service
// from the start: 8002012311 (NTCHI-1050-8XX-950, "Harry Fuzz"),
// 8553489654, 8663489655 and 8001231234 (NTNYC-690-8XX-123; 8001231234
// forwards to 3123752629). Routing labels: NTNYC-690-8XX-123,
// NTNYC-690-8XX-124, NTCHI-1050-8XX-950 (customerAssignedName "Chicago
// primary"), NTMIL01-8XX-0222-1-124; they are the account's state:
// routingLabelUpdate renames one (its numbers follow, the old name is
// unknown from then on) and trunkGroupUpdate renames their routes. CICs: 0913, 0222, 0432, 0555, 5102,
// 2121 (cicList); an item without cicList gets 0913. TollFreeTNs(class, n)
// lists numbers of a class for tests and demos.
//
// tfOrder 8XX and 8XXPORTIN make an order (exclusions in the status for at
// most 100 numbers, in excludedTnList after validation for more); a port
// needs loa=Y (else 414) and stays Pending, its numbers "Pending LOA" in
// orderDetail, until a document is attached with orderAddDocument (to any
// order; fileContent must be Base64); then it routes like a new-number
// order. 8XXAVAIL activates at once, answers the exclusions in the status
// and no orderId (the guide's example), and refuses beyond 100 numbers per
// calendar month (UTC) of the simulated clock, per number: "Exceeds the
// 8XXAVAIL limit of 100 numbers per month". tfUpdate, tfFeatureOrder and
// tfDisconnect follow tnUpdate's rules. Feature test inputs: a callingName
// breaking the guide's rule and an unknown messageClass are feature
// exclusions, E911 with origPostalCode 00000 an excludedE911Detail entry.
// tnForward/tfForward fail the whole request for one bad number (409
// "Invalid TN submitted:[tn]" for a malformed or wrong-kind number, 432
// "TN is not in service", 414 without forwardTo or removeForwardTo), answer
// 421 beyond 100 numbers, and otherwise apply at once with the orderId of
// a closed order. trunkGroupUtilization answers 10-minute intervals of a
// deterministic daily curve (capacity 1300) up to the simulated now, for a
// range of at most 31 days; trunkGroupName may be a string or an array.
//
// # The guide's examples
//
// testdata/guide holds the guide's example requests and answers for these
// operations, with the minimal fixes listed in testdata/guide/FIXES.md
// (joined split blocks, removed trailing commas, added missing commas,
// re-joined line-wrapped searchId strings); TestGuideExamples sends each
// request and checks that the sandbox's answer has every key path of the
// guide's answer.
package sandbox
