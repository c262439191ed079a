package sandbox

import (
	"math/rand/v2"
	"sort"
	"strconv"
)

// rateCenter is one rate center of the seeded world.
type rateCenter struct {
	abbr, name, city, state, lata, postal, tier string
	npas                                        []string
	// per-rate-center feature support (Y/N in the guide's answers)
	dl, e911, msg bool
}

// tierName is the answer form of a tier ("Tier 0"); the request form is
// the bare value ("0").
func (rc *rateCenter) tierName() string {
	switch rc.tier {
	case "0", "1", "2":
		return "Tier " + rc.tier
	}
	return rc.tier
}

// pinSupported reports whether onnet port-out PINs apply (Tier 0 & HI).
func (rc *rateCenter) pinSupported() bool { return rc.tier == "0" || rc.tier == "HI" }

// rateCenters is constant reference data: real-looking rate centers,
// including every one the guide's examples name.
var rateCenters = []rateCenter{
	{"COLFAX", "COLFAX", "COLFAX", "LA", "486", "71417", "0", []string{"318"}, true, true, true},
	{"ORADELL", "ORADELL", "ORADELL", "NJ", "224", "07649", "0", []string{"201"}, true, true, true},
	{"CRAGMERE", "CRAGMERE", "CRAGMERE", "NJ", "224", "07430", "0", []string{"201"}, true, true, true},
	{"BAYONNE", "BAYONNE", "BAYONNE", "NJ", "224", "07002", "0", []string{"201"}, true, true, true},
	{"RIDGWOOD", "RIDGEWOOD", "RIDGEWOOD", "NJ", "224", "07450", "0", []string{"201"}, true, true, true},
	{"WSHNGTNZN1", "WASHINGTON ZONE 1", "WASHINGTON", "DC", "236", "20001", "0", []string{"202"}, true, true, true},
	{"CHICGOZN01", "CHICAGO ZONE 01", "CHICAGO", "IL", "358", "60661", "0", []string{"312", "773"}, true, true, true},
	{"NAPERVILLE", "NAPERVILLE", "NAPERVILLE", "IL", "358", "60564", "0", []string{"630"}, true, true, true},
	{"SPRINGFLD", "SPRINGFIELD", "SPRINGFIELD", "IL", "362", "62704", "1", []string{"217"}, true, true, true},
	{"NWYRCYZN01", "NEW YORK CITY ZONE 01", "NEW YORK", "NY", "132", "10001", "0", []string{"212", "646"}, true, true, true},
	{"LSAN DA 01", "LOS ANGELES DA 01", "LOS ANGELES", "CA", "730", "90012", "0", []string{"213", "323"}, true, true, true},
	{"SAN PEDRO", "SAN PEDRO", "SAN PEDRO", "CA", "730", "90731", "1", []string{"310"}, true, true, true},
	{"DALLAS", "DALLAS", "DALLAS", "TX", "552", "75201", "0", []string{"214", "469"}, true, true, true},
	{"HOUSTON", "HOUSTON", "HOUSTON", "TX", "560", "77002", "0", []string{"713", "832"}, true, true, true},
	{"MIAMI", "MIAMI", "MIAMI", "FL", "460", "33130", "0", []string{"305", "786"}, true, true, true},
	{"ATLANTA", "ATLANTA", "ATLANTA", "GA", "438", "30303", "0", []string{"404", "470"}, true, true, true},
	{"SEATTLE", "SEATTLE", "SEATTLE", "WA", "674", "98101", "0", []string{"206"}, true, true, true},
	{"DENVER", "DENVER", "DENVER", "CO", "656", "80202", "0", []string{"303", "720"}, true, true, true},
	{"PHOENIX", "PHOENIX", "PHOENIX", "AZ", "666", "85004", "0", []string{"602", "480"}, true, true, true},
	{"BOSTON", "BOSTON", "BOSTON", "MA", "128", "02108", "0", []string{"617", "857"}, true, true, true},
	{"PHLA", "PHILADELPHIA", "PHILADELPHIA", "PA", "228", "19103", "0", []string{"215", "267"}, true, true, true},
	{"MINNEAPOLS", "MINNEAPOLIS", "MINNEAPOLIS", "MN", "628", "55401", "0", []string{"612"}, true, true, true},
	{"DETROIT", "DETROIT", "DETROIT", "MI", "340", "48226", "1", []string{"313"}, true, true, true},
	{"ELKO", "ELKO", "ELKO", "NV", "720", "89801", "2", []string{"775"}, false, true, false},
	{"MILES CITY", "MILES CITY", "MILES CITY", "MT", "650", "59301", "2", []string{"406"}, false, false, false},
	{"HONOLULU", "HONOLULU", "HONOLULU", "HI", "834", "96813", "HI", []string{"808"}, true, true, true},
	{"ANCHORAGE", "ANCHORAGE", "ANCHORAGE", "AK", "832", "99501", "AK", []string{"907"}, true, true, false},
	{"SAN JUAN", "SAN JUAN", "SAN JUAN", "PR", "820", "00901", "PRI", []string{"787"}, true, false, false},
	{"TORONTO", "TORONTO", "TORONTO", "ON", "888", "M5H 2N2", "CAN", []string{"416"}, false, false, true},
}

// block is one NPA-NXX of the world. Line L (0..9999) is available
// inventory when (a*L+b) mod 10000 < k, reserved by another customer when
// the value falls in [k, k+other), and not in inventory otherwise. a is
// coprime to 10000, so exactly k lines are available: the world is
// computed, never stored.
type block struct {
	npanxx   uint32 // e.g. 318407
	rc       int    // index into rateCenters
	k, other uint32
	a, b     uint32
	wireless bool
}

// line classes
const (
	lineNone = iota
	lineAvailable
	lineOther
)

func (bl *block) class(line uint32) int {
	v := (bl.a*line + bl.b) % 10000
	switch {
	case v < bl.k:
		return lineAvailable
	case v < bl.k+bl.other:
		return lineOther
	}
	return lineNone
}

// world is the seeded, computed inventory.
type world struct {
	blocks   []block        // sorted by npanxx
	byNPANXX map[uint32]int // npanxx -> index in blocks
	total    int
	addrs    *addressWorld // the E911 address world (addressbook.go)
	seed     int64
}

func (w *world) addresses() *addressWorld { return w.addrs }

// fixed blocks the guide's examples use. k=10000 makes every line of the
// block available. k=0 blocks hold only the pre-provisioned portfolio.
var fixedBlocks = []struct {
	npanxx uint32
	rc     string
	k      uint32
}{
	{318407, "COLFAX", 6000},
	{201335, "CRAGMERE", 10000},
	{201554, "ORADELL", 10000},
	{201267, "ORADELL", 5000},
	{201389, "RIDGWOOD", 4000},
	{202335, "WSHNGTNZN1", 9000},
	{202609, "WSHNGTNZN1", 2500},
	{630420, "NAPERVILLE", 5000},
	{312348, "CHICGOZN01", 0},
	{312479, "CHICGOZN01", 0},
	{773516, "CHICGOZN01", 0},
	{201215, "BAYONNE", 0},
}

func rcIndex(abbr string) int {
	for i := range rateCenters {
		if rateCenters[i].abbr == abbr {
			return i
		}
	}
	panic("sandbox: unknown rate center " + abbr)
}

func coprime(r *rand.Rand) uint32 {
	for {
		a := uint32(r.IntN(9000) + 1001)
		if a%2 != 0 && a%5 != 0 {
			return a
		}
	}
}

// newWorld computes the block table for size available numbers.
func newWorld(seed int64, size int) *world {
	r := rand.New(rand.NewPCG(uint64(seed), 0x1a2b3c4d))
	w := &world{byNPANXX: map[uint32]int{}, addrs: newAddressWorld(seed), seed: seed}
	used := map[uint32]bool{}
	add := func(npanxx uint32, rc int, k uint32) {
		if remaining := size - w.total; int(k) > remaining {
			k = uint32(max(remaining, 0))
		}
		bl := block{npanxx: npanxx, rc: rc, k: k, other: k / 50, a: coprime(r), b: uint32(r.IntN(10000))}
		if bl.k+bl.other > 10000 {
			bl.other = 10000 - bl.k
		}
		bl.wireless = npanxx%10 == 7 // deterministic, documented: NXX ending in 7 is wireless
		w.blocks = append(w.blocks, bl)
		used[npanxx] = true
		w.total += int(k)
	}
	for _, fb := range fixedBlocks {
		add(fb.npanxx, rcIndex(fb.rc), fb.k)
	}
	for w.total < size {
		rc := r.IntN(len(rateCenters))
		npas := rateCenters[rc].npas
		npa, _ := strconv.Atoi(npas[r.IntN(len(npas))])
		nxx := uint32(r.IntN(800) + 200)
		npanxx := uint32(npa)*1000 + nxx
		if used[npanxx] || nxx%100 == 11 || nxx == 555 || nxx == 999 {
			continue
		}
		add(npanxx, rc, uint32(2000+r.IntN(6001)))
	}
	sort.Slice(w.blocks, func(i, j int) bool { return w.blocks[i].npanxx < w.blocks[j].npanxx })
	for i := range w.blocks {
		w.byNPANXX[w.blocks[i].npanxx] = i
	}
	return w
}

// lookup finds the block of a TN (10-digit number).
func (w *world) lookup(tn uint64) (*block, uint32, bool) {
	i, ok := w.byNPANXX[uint32(tn/10000)]
	if !ok {
		return nil, 0, false
	}
	return &w.blocks[i], uint32(tn % 10000), true
}

// rcOf returns the rate center of a TN known to the world.
func (w *world) rcOf(tn uint64) *rateCenter {
	bl, _, ok := w.lookup(tn)
	if !ok {
		return nil
	}
	return &rateCenters[bl.rc]
}
