"""``%snn sweep``: run a sweep from the notebook namespace.

The nbsnn magics dispatcher imports this module lazily and calls `run_magic`
with the words after ``%snn`` (a leading ``sweep`` is accepted and skipped).
"""

from __future__ import annotations

import ast

from ..commands.sweep import parser as _parser

__all__ = ["parse_values", "run_magic"]


def _usage_error(message):
    return _parser().usage_error(message)


def _literal(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text  # a bare word such as LIF


def parse_values(spec: str) -> tuple[str, list]:
    """Parse ``NAME=V1,V2,...`` into the name and its values (Python literals or words)."""
    name, sep, values = spec.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier() or not values.strip():
        raise _usage_error(f"--param {spec!r}: expected NAME=V1,V2,... e.g. synapse=0.005,0.01")
    return name, [_literal(v.strip()) for v in values.split(",")]


def run_magic(shell, argv):
    """Run ``%snn sweep`` in ``shell``; bind and return the results DataFrame.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell
        The shell whose namespace holds the target and data and receives the results.
    argv : list of str
        Arguments after ``%snn`` (see ``%snn help sweep``).
    """
    from .runner import is_keras_model, sweep

    argv = list(argv)
    if argv and argv[0] == "sweep":
        argv = argv[1:]
    args = _parser().parse_args(argv)
    ns = shell.user_ns
    for name in [args.target, *args.data]:
        if name not in ns:
            raise _usage_error(f"no variable named {name!r} in the namespace")
    if not args.out.isidentifier():
        raise _usage_error(f"--out needs a Python name, got {args.out!r}")
    params = dict(parse_values(spec) for spec in args.param)
    shorthands = {"synapse": args.synapse, "scale_firing_rates": args.scale,
                  "n_steps": args.n_steps, "neuron_type": args.neuron}
    target = ns[args.target]
    if is_keras_model(target):
        from .converted import evaluate_converted

        if not 1 <= len(args.data) <= 2:
            raise _usage_error("a Keras model needs --data X [Y]")
        params.update({k: [_literal(v) for v in vals]
                       for k, vals in shorthands.items() if vals})
        data = {"model": target, "x": ns[args.data[0]]}
        if len(args.data) == 2:
            data["y"] = ns[args.data[1]]
        evaluate = evaluate_converted
    elif callable(target):
        if any(shorthands.values()):
            raise _usage_error("--synapse/--scale/--n-steps/--neuron are for Keras models; "
                               "give a function's parameters with --param NAME=V1,V2")
        data = {name: ns[name] for name in args.data}
        evaluate = target
    else:
        raise _usage_error(f"{args.target!r} is neither a Keras model nor a function")
    if not params:
        raise _usage_error("no parameters to sweep; add --param NAME=V1,V2 (or --synapse ...)")
    df = sweep(evaluate, params, n_samples=args.samples, seed=args.seed, data=data,
               address=args.address, n_workers=args.workers, results=args.results,
               max_points=args.max_points)
    shell.user_ns[args.out] = df
    n_failed = int(df["error_type"].notna().sum())
    failed = f", {n_failed} failed (see {args.out}.error)" if n_failed else ""
    print(f"{args.out}: {len(df)} points{failed}")
    if not args.no_plot:
        _show(df, args.metric)
    return df


def _show(df, metric):
    from bokeh.io import output_notebook, show

    from .plots import plot_sweep

    metric = metric or ("accuracy" if "accuracy" in df.columns else "metric")
    costs = [c for c in ("mean_rate", "latency") if c in df.columns]
    output_notebook(hide_banner=True)
    if costs:
        show(plot_sweep(df, metric, costs))
    else:
        from .plots import heatmaps

        show(heatmaps(df, metric))
