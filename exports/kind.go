package exports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// ErrUsage marks a problem with the export's arguments (unknown kind,
// filter or value): nothing was sent.
var ErrUsage = errors.New("usage")

// Filter is one filter flag of a kind.
type Filter struct {
	// Flag is the flag name: the guide's parameter in kebab case.
	Flag string
	// Param is the guide's parameter name.
	Param string
	Help  string
	// Enum, when set, lists the accepted values (case-insensitive).
	Enum []string
	// Required filters must be given.
	Required bool
	// Default is used when the flag is not given.
	Default string
}

// Env is what a kind's source gets.
type Env struct {
	API *inteliquent.Client
	// Params holds the filter values by flag name, defaults applied.
	Params map[string]string
	// PageSize is the page size of page/size kinds.
	PageSize int
	// Start and End are the date range of dated kinds ([Start, End), UTC).
	Start, End time.Time
	Log        *slog.Logger
	// RunOrders reads the orders a run directory placed (Options.RunOrders).
	RunOrders func(ctx context.Context, dir string) ([]record.Order, error)
}

// State is where an export keeps its cursor: each page counts as written
// only once the cursor after it is durable. The caller's storage (the
// checkpoint store, in the CLI) implements it, so this package links no
// database driver.
type State interface {
	Cursor(ctx context.Context, name string) (value string, ok bool, err error)
	SetCursor(ctx context.Context, name, value string) error
	Close() error
}

// Page is one page of rows from a Source.
type Page struct {
	Rows [][]string
	// Requests is the number of API calls the page took (restarts and
	// skipped pages included); retries are counted by the client.
	Requests int
	// Restarted counts scroll restarts made to get this page.
	Restarted int
}

// Source walks one listing. Next returns the next page, or done=true when
// the listing is exhausted (the page is then empty). State is the cursor
// after the last page Next returned, to be passed to Open on resume.
type Source interface {
	Next(ctx context.Context) (p Page, done bool, err error)
	State() (json.RawMessage, error)
}

// Kind is one export kind.
type Kind struct {
	Name string
	Help string
	// Ops are the API operations the kind calls.
	Ops     []string
	Filters []Filter
	// Dated kinds take --start-date/--end-date and --since last.
	Dated bool
	// Columns returns the file's header for the given parameters.
	Columns func(params map[string]string) []string
	// Open starts (state nil) or resumes the listing.
	Open func(ctx context.Context, env *Env, state json.RawMessage) (Source, error)
	// Example is the arguments of a run that works at now: the required
	// filters, and a short date range for kinds that need one (nil: none
	// needed). The per-kind tests run every registered kind from it.
	Example func(now time.Time) Example
}

// Example is a kind's declared example arguments.
type Example struct {
	Filters            map[string]string // by flag name
	StartDate, EndDate string
}

// ExampleOf is k's example at now (empty when k declares none).
func (k *Kind) ExampleOf(now time.Time) Example {
	if k.Example == nil {
		return Example{}
	}
	return k.Example(now)
}

// Args are the example as command-line flags, filters sorted by flag.
func (e Example) Args() []string {
	var out []string
	for _, f := range slices.Sorted(maps.Keys(e.Filters)) {
		out = append(out, "--"+f, e.Filters[f])
	}
	if e.StartDate != "" {
		out = append(out, "--start-date", e.StartDate)
	}
	if e.EndDate != "" {
		out = append(out, "--end-date", e.EndDate)
	}
	return out
}

// Apply sets the example's filters and dates on o.
func (e Example) Apply(o *Options) {
	o.Filters = maps.Clone(e.Filters)
	o.StartDate, o.EndDate = e.StartDate, e.EndDate
}

// filters is an Example of filters only, for the kinds' declarations.
func filters(kv ...string) func(time.Time) Example {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(time.Time) Example { return Example{Filters: m} }
}

// Registry holds the kinds by name.
type Registry struct{ kinds map[string]*Kind }

// NewRegistry returns a registry of the given kinds.
func NewRegistry(kinds ...*Kind) *Registry {
	r := &Registry{kinds: map[string]*Kind{}}
	for _, k := range kinds {
		r.kinds[k.Name] = k
	}
	return r
}

// Default returns a registry of every built-in kind.
func Default() *Registry {
	kinds := []*Kind{inventoryKind(), assignedKind(), assignedBasicKind(), reservedKind(), ordersKind(),
		mdrKind(), e911CallsKind(), featuresKind(), campaignsKind(), portInsKind(), excludedKind()}
	kinds = append(kinds, tollFreeKinds()...) // toll free and network (tollfree.go)
	kinds = append(kinds, referenceKinds()...)
	kinds = append(kinds, portOutsKind())
	kinds = append(kinds, intlKinds()...)
	kinds = append(kinds, ticketDocumentsKind()) // ticketdocs.go
	kinds = append(kinds, adminKinds()...)       // admin.go
	return NewRegistry(kinds...)
}

// Lookup returns the named kind.
func (r *Registry) Lookup(name string) (*Kind, error) {
	k, ok := r.kinds[name]
	if !ok {
		return nil, fmt.Errorf("export kind %q: %w (known: %s)", name, ErrUsage, strings.Join(r.Names(), ", "))
	}
	return k, nil
}

// Names lists the kinds, sorted.
func (r *Registry) Names() []string {
	var out []string
	for n := range r.kinds {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Kinds lists the kinds, sorted by name.
func (r *Registry) Kinds() []*Kind {
	var out []*Kind
	for _, n := range r.Names() {
		out = append(out, r.kinds[n])
	}
	return out
}

// AllFilters is the union of every kind's filters by flag name (the first
// definition of a flag wins), sorted by flag.
func (r *Registry) AllFilters() []Filter {
	seen := map[string]bool{}
	var out []Filter
	for _, k := range r.Kinds() {
		for _, f := range k.Filters {
			if !seen[f.Flag] {
				seen[f.Flag] = true
				out = append(out, f)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Flag < out[j].Flag })
	return out
}

// resolve checks given filter values against the kind and applies defaults.
func (k *Kind) resolve(given map[string]string) (map[string]string, error) {
	known := map[string]Filter{}
	for _, f := range k.Filters {
		known[f.Flag] = f
	}
	out := map[string]string{}
	for name, v := range given {
		f, ok := known[name]
		if !ok {
			return nil, fmt.Errorf("--%s does not apply to export %s: %w", name, k.Name, ErrUsage)
		}
		v = strings.TrimSpace(v)
		if len(f.Enum) > 0 && v != "" {
			i := slices.IndexFunc(f.Enum, func(e string) bool { return strings.EqualFold(e, v) })
			if i < 0 {
				return nil, fmt.Errorf("--%s %q: %w (want one of: %s)", name, v, ErrUsage, strings.Join(f.Enum, ", "))
			}
			v = f.Enum[i]
		}
		out[name] = v
	}
	for _, f := range k.Filters {
		if out[f.Flag] == "" && f.Default != "" {
			out[f.Flag] = f.Default
		}
		if f.Required && out[f.Flag] == "" {
			return nil, fmt.Errorf("export %s needs --%s (%s): %w", k.Name, f.Flag, f.Param, ErrUsage)
		}
	}
	return out, nil
}
