package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The config file: $XDG_CONFIG_HOME/iqbulk/config.toml, or the system's
// user config folder (os.UserConfigDir: ~/.config, ~/Library/Application
// Support, %AppData%) + iqbulk/config.toml; IQBULK_CONFIG names another.
//
//	profile = "test"              # used when neither --profile nor IQ_PROFILE names one
//
//	[profiles.prod]
//	endpoint       = "production"
//	auth           = "oauth2"
//	rate           = 10
//	burst          = 5
//	concurrency    = 4
//	settle         = "10m"
//	out_dir        = "/srv/iqbulk/runs"
//	key_env        = "IQ_PROD_KEY"          # the API key from this variable
//	secret_command = "pass show iq/prod"    # the secret from this command's output
//
// Secrets are never read from the file in clear: a key or secret is taken
// from the environment (IQ_API_KEY, IQ_API_SECRET, or the variables the
// profile names) or from the output of a command the profile names, run
// without a shell (its words split like a shell would, quotes kept
// together; for a pipe, write the shell yourself: "sh -c '…'").
type configFile struct {
	Profile  string             `toml:"profile"`
	Profiles map[string]profile `toml:"profiles"`
}

type profile struct {
	Endpoint      string `toml:"endpoint"`
	Auth          string `toml:"auth"`
	Rate          string `toml:"-"`
	Burst         string `toml:"-"`
	Concurrency   string `toml:"-"`
	Settle        string `toml:"settle"`
	OutDir        string `toml:"out_dir"`
	KeyEnv        string `toml:"key_env"`
	SecretEnv     string `toml:"secret_env"`
	KeyCommand    string `toml:"key_command"`
	SecretCommand string `toml:"secret_command"`

	RateN        *float64 `toml:"rate"`
	BurstN       *int     `toml:"burst"`
	ConcurrencyN *int     `toml:"concurrency"`
}

// setting is one setting a profile, the environment and a flag can give.
type setting struct {
	name, flag, env string
	fromProfile     func(p profile) string
}

var settingsTable = []setting{
	{"endpoint", "endpoint", "IQ_ENDPOINT", func(p profile) string { return p.Endpoint }},
	{"auth", "", "IQ_AUTH", func(p profile) string { return p.Auth }},
	{"rate", "rate", "IQ_RATE", func(p profile) string { return p.Rate }},
	{"burst", "burst", "IQ_BURST", func(p profile) string { return p.Burst }},
	{"concurrency", "concurrency", "IQ_CONCURRENCY", func(p profile) string { return p.Concurrency }},
	{"settle", "settle", "IQ_SETTLE", func(p profile) string { return p.Settle }},
	{"out_dir", "", "IQ_OUT_DIR", func(p profile) string { return p.OutDir }},
}

// resolved is where one effective setting came from, for config show.
type resolved struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Source string `json:"source"`
}

// profileState is what the loaded profile adds to an env: the settings'
// sources and the lazily fetched secrets.
type profileState struct {
	name, path string
	prof       profile
	settings   []resolved
	base       func(string) string // the process environment

	mu      sync.Mutex
	secrets map[string]string // command output, fetched once per process
}

func addGlobalFlags(root *cobra.Command, e *env) {
	pf := root.PersistentFlags()
	pf.BoolVarP(&e.quiet, "quiet", "q", false, "no progress bar and no notices: stderr gets only warnings and errors (stdout is unchanged; see --json, --print-dir)")
	pf.StringVar(&e.profile, "profile", "", "named settings from the config file (default: IQ_PROFILE, then the file's profile = ...)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if err := applyProfile(cmd, e); err != nil {
			return withCode(ExitUsage, err)
		}
		return nil
	}
}

// configPath is where the config file is looked for.
func configPath(getenv func(string) string) (string, error) {
	if p := getenv("IQBULK_CONFIG"); p != "" {
		return p, nil
	}
	if x := getenv("XDG_CONFIG_HOME"); x != "" {
		return filepath.Join(x, "iqbulk", "config.toml"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "iqbulk", "config.toml"), nil
}

// loadConfig reads the config file; a missing file is an empty config.
func loadConfig(path string) (configFile, bool, error) {
	var c configFile
	md, err := toml.DecodeFile(path, &c)
	if errors.Is(err, os.ErrNotExist) {
		return c, false, nil
	}
	if err != nil {
		return c, true, fmt.Errorf("config %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		for _, k := range und {
			last := strings.ToLower(k[len(k)-1])
			if strings.Contains(last, "secret") || strings.Contains(last, "key") || strings.Contains(last, "password") || strings.Contains(last, "token") {
				return c, true, fmt.Errorf("config %s: %s: secrets are never read from the config file in clear; name a variable (key_env, secret_env) or a command (key_command, secret_command)", path, k)
			}
		}
		return c, true, fmt.Errorf("config %s: unknown setting %s", path, und[0])
	}
	for name, p := range c.Profiles {
		if p.RateN != nil {
			p.Rate = fmt.Sprint(*p.RateN)
		}
		if p.BurstN != nil {
			p.Burst = fmt.Sprint(*p.BurstN)
		}
		if p.ConcurrencyN != nil {
			p.Concurrency = fmt.Sprint(*p.ConcurrencyN)
		}
		c.Profiles[name] = p
	}
	return c, true, nil
}

// applyProfile gives every setting of the command its value by precedence:
// a flag given > the environment > the profile > the default. Values are set
// without marking flags as given, so a resume still tells a flag the user
// typed from a default.
func applyProfile(cmd *cobra.Command, e *env) error {
	path, err := configPath(e.getenv)
	if err != nil {
		return err
	}
	cfg, found, err := loadConfig(path)
	if err != nil {
		return err
	}
	name, how := e.profile, "--profile"
	if name == "" {
		name, how = e.getenv("IQ_PROFILE"), "IQ_PROFILE"
	}
	if name == "" {
		name, how = cfg.Profile, "the config file's profile"
	}
	ps := &profileState{name: name, path: path, base: e.getenv, secrets: map[string]string{}}
	if name != "" {
		p, ok := cfg.Profiles[name]
		if !ok {
			if !found {
				return fmt.Errorf("profile %q (from %s): no config file at %s", name, how, path)
			}
			return fmt.Errorf("profile %q (from %s) is not in %s (profiles: %s)", name, how, path, strings.Join(profileNames(cfg), ", "))
		}
		ps.prof = p
	}
	for _, s := range settingsTable {
		r := resolved{Name: s.name}
		var fl *pflag.Flag
		if s.flag != "" {
			fl = cmd.Flags().Lookup(s.flag)
		}
		envVal, profVal := e.getenv(s.env), ""
		if ps.name != "" {
			profVal = s.fromProfile(ps.prof)
		}
		switch {
		case fl != nil && fl.Changed:
			r.Value, r.Source = fl.Value.String(), "flag --"+s.flag
		case envVal != "":
			r.Value, r.Source = envVal, "env "+s.env
		case profVal != "":
			r.Value, r.Source = profVal, fmt.Sprintf("profile %s (%s)", ps.name, path)
		default:
			r.Source = "default"
			if fl != nil {
				r.Value = fl.DefValue
			}
		}
		if fl != nil && !fl.Changed && r.Source != "default" {
			if err := fl.Value.Set(r.Value); err != nil {
				return fmt.Errorf("%s from %s: %w", s.name, r.Source, err)
			}
			r.Value = fl.Value.String() // as the command will use it
		}
		switch s.name {
		case "endpoint":
			if r.Value == "" {
				r.Value = EndpointSandbox
			}
		case "auth":
			if r.Value == "" {
				r.Value = "oauth2"
			}
		case "out_dir":
			if r.Value == "" {
				r.Value = "runs"
			}
			e.runsDir = r.Value
		case "concurrency":
			// Not given: enough workers to keep the rate's requests in
			// flight (defaultConcurrency).
			if n, ok := concurrencyFromRate(cmd); ok && r.Source == "default" && fl != nil && n != r.Value {
				if err := fl.Value.Set(n); err != nil {
					return err
				}
				r.Value, r.Source = n, "default (from the rate)"
			}
		}
		if fl == nil && s.flag != "" && r.Source == "default" {
			continue // a setting this command does not take
		}
		ps.settings = append(ps.settings, r)
	}
	e.prof = ps
	e.getenv = func(k string) string { return ps.lookup(cmd.Context(), k) }
	return nil
}

// concurrencyFromRate is defaultConcurrency for the command's --rate, when
// it has one.
func concurrencyFromRate(cmd *cobra.Command) (string, bool) {
	rf := cmd.Flags().Lookup("rate")
	if rf == nil {
		return "", false
	}
	rate, err := strconv.ParseFloat(rf.Value.String(), 64)
	if err != nil {
		return "", false
	}
	return strconv.Itoa(defaultConcurrency(rate)), true
}

func profileNames(c configFile) []string {
	names := make([]string, 0, len(c.Profiles))
	for n := range c.Profiles {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// lookup is the environment as the commands see it: the real one first,
// then what the profile gives for auth, key and secret.
func (ps *profileState) lookup(ctx context.Context, k string) string {
	v, _ := ps.source(ctx, k)
	return v
}

// source returns a variable's value and where it came from.
func (ps *profileState) source(ctx context.Context, k string) (string, string) {
	if v := ps.base(k); v != "" {
		return v, "env " + k
	}
	if ps.name == "" {
		return "", "not set"
	}
	p := ps.prof
	envName, command := "", ""
	switch k {
	case "IQ_AUTH":
		return p.Auth, "profile " + ps.name
	case "IQ_API_KEY":
		envName, command = p.KeyEnv, p.KeyCommand
	case "IQ_API_SECRET":
		envName, command = p.SecretEnv, p.SecretCommand
	default:
		return "", "not set"
	}
	if envName != "" {
		if v := ps.base(envName); v != "" {
			return v, fmt.Sprintf("env %s (profile %s)", envName, ps.name)
		}
	}
	if command == "" {
		return "", "not set"
	}
	v, err := ps.run(ctx, command)
	if err != nil {
		return "", fmt.Sprintf("profile %s: %v", ps.name, err)
	}
	return v, fmt.Sprintf("command %q (profile %s)", command, ps.name)
}

// run runs a secret command once per process.
func (ps *profileState) run(ctx context.Context, command string) (string, error) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if v, ok := ps.secrets[command]; ok {
		return v, nil
	}
	v, err := runSecretCommand(ctx, command)
	if err != nil {
		return "", err
	}
	ps.secrets[command] = v
	return v, nil
}

// runSecretCommand runs a profile's command without a shell and returns its
// output, trimmed. Its error never includes the output.
func runSecretCommand(ctx context.Context, command string) (string, error) {
	args, err := splitWords(command)
	if err != nil || len(args) == 0 {
		return "", fmt.Errorf("secret command %q: %w", command, errors.Join(err, errors.New("empty")))
	}
	out, err := exec.CommandContext(ctx, args[0], args[1:]...).Output()
	if err != nil {
		return "", fmt.Errorf("secret command %q: %w", command, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// splitWords splits a command line into words as a POSIX shell would for
// plain words and '…' or "…" quotes (backslash escapes outside single
// quotes); no variables, globs or pipes.
func splitWords(s string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		in    bool
		quote rune
	)
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				cur.WriteRune(c)
			}
		case quote == '"':
			switch {
			case c == '"':
				quote = 0
			case c == '\\' && i+1 < len(rs) && strings.ContainsRune(`"\$`+"`", rs[i+1]):
				i++
				cur.WriteRune(rs[i])
			default:
				cur.WriteRune(c)
			}
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == '\\' && i+1 < len(rs):
			i++
			cur.WriteRune(rs[i])
			in = true
		case c == ' ' || c == '\t' || c == '\n':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(c)
			in = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote", quote)
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

func newConfigCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Settings from the config file's profiles, the environment and flags"}
	var o runOptions
	var asJSON bool
	show := &cobra.Command{
		Use:   "show",
		Short: "Print the effective settings and where each came from; secrets masked",
		Long: `Print every setting a run would use, its value and where it came from:
a flag, an environment variable, the profile (--profile, IQ_PROFILE, or the
config file's profile = ...) or the default. Precedence: flag > env > profile
> default. The API key shows at most its last four characters, the secret
never; a secret_command is run to tell whether it works.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ps := e.prof
			rows := slices.Clone(ps.settings)
			prof := "none"
			if ps.name != "" {
				prof = ps.name
			}
			rows = append([]resolved{{Name: "profile", Value: prof, Source: ps.path}}, rows...)
			key, keySrc := ps.source(cmd.Context(), "IQ_API_KEY")
			sec, secSrc := ps.source(cmd.Context(), "IQ_API_SECRET")
			secShown := "(not set)"
			if sec != "" {
				secShown = "********"
			}
			rows = append(rows, resolved{Name: "api_key", Value: maskSecret(key), Source: keySrc},
				resolved{Name: "api_secret", Value: secShown, Source: secSrc})
			if asJSON {
				return writeJSON(e.stdout, rows)
			}
			tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SETTING\tVALUE\tFROM")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Value, r.Source)
			}
			return tw.Flush()
		},
	}
	addConnectFlags(show, &o.Endpoint, &o.S.Connection)
	show.Flags().IntVar(&o.S.Concurrency, "concurrency", 4, "requests in flight at once")
	addSettleFlag(show, &o)
	show.Flags().BoolVar(&asJSON, "json", false, "print the settings as a JSON array")
	cmd.AddCommand(show)
	return cmd
}
