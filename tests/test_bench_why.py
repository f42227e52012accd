"""bench.why reads Chromium's trace right: self time by script, background compiles."""

from bench.why import _background_compile, _js_by_script, _role


def test_samples_are_charged_to_their_script_for_the_time_until_the_next():
    frames = [
        {"id": 1, "callFrame": {"functionName": "(root)"}},
        {"id": 2, "callFrame": {"functionName": "render", "url": "http://x/static/react.js?v=1"}},
        {"id": 3, "callFrame": {"functionName": "(program)"}},
        {"id": 4, "callFrame": {"functionName": "(idle)"}},
        {"id": 5, "callFrame": {"functionName": "getBoundingClientRect"}},
    ]
    chunk = {
        "name": "ProfileChunk",
        "pid": 7,
        "id": "0x1",
        "args": {
            "data": {
                "cpuProfile": {"nodes": frames, "samples": [2, 2, 3, 4, 5, 2]},
                "timeDeltas": [900_000, 1000, 2000, 3000, 4000, 5000],
            }
        },
    }
    spent = _js_by_script([chunk])
    assert spent == {"react.js": 1 + 2, "(program)": 3, "(getBoundingClientRect)": 5}


def test_only_compiles_on_background_threads_count():
    events = [
        {"name": "thread_name", "ph": "M", "pid": 1, "tid": 2, "args": {"name": "CrRendererMain"}},
        {
            "name": "thread_name",
            "ph": "M",
            "pid": 1,
            "tid": 3,
            "args": {"name": "ThreadPoolForegroundWorker"},
        },
        {"name": "V8.MaglevTask", "ph": "X", "pid": 1, "tid": 3, "dur": 4000},
        {"name": "V8.TurbofanTask", "ph": "X", "pid": 1, "tid": 3, "dur": 6000},
        {"name": "V8.MaglevTask", "ph": "X", "pid": 1, "tid": 2, "dur": 9000},
    ]
    assert _background_compile(events) == {"V8.MaglevTask": 4, "V8.TurbofanTask": 6}


def test_processes_are_named_by_their_role():
    assert _role("python -m streamlit run app.py --server.port 1") == "server"
    assert _role("/usr/lib/chromium/chromium --type=renderer --foo") == "renderer"
    assert _role("/usr/lib/chromium/chromium --type=gpu-process") == "gpu"
    assert _role("/usr/lib/chromium/chromium --headless --no-sandbox") == "browser process"
    assert _role("node cli.js run-driver") == "benchmark (driver, python)"
