"""A real OTLP/HTTP trace receiver on 127.0.0.1: decodes what an exporter POSTs to /v1/traces (protobuf)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from apps.core.testing.receivers import Receiver


@dataclass(frozen=True)
class Span:
    name: str
    trace_id: str
    span_id: str
    parent_id: str
    kind: int
    service: str
    attributes: dict


def _value(any_value):
    return getattr(any_value, any_value.WhichOneof("value")) if any_value.WhichOneof("value") else None


class OtlpReceiver(Receiver):
    """`spans()` lists every span received so far, with its service name and attributes."""

    def answer(self, request):
        return 200, {"Content-Type": "application/x-protobuf"}, ExportTraceServiceResponse().SerializeToString()

    def spans(self) -> list[Span]:
        found = []
        with self.lock:
            requests = [r for r in self.received if r.path == "/v1/traces"]
        for request in requests:
            export = ExportTraceServiceRequest.FromString(request.body)
            for resource_spans in export.resource_spans:
                resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        found.append(
                            Span(
                                name=span.name,
                                trace_id=span.trace_id.hex(),
                                span_id=span.span_id.hex(),
                                parent_id=span.parent_span_id.hex(),
                                kind=span.kind,
                                service=resource.get("service.name", ""),
                                attributes={a.key: _value(a.value) for a in span.attributes},
                            )
                        )
        return found

    def wait_for(self, condition, *, seconds: float = 20.0) -> list[Span]:
        """The spans once `condition(spans)` holds; fails after `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            spans = self.spans()
            if condition(spans):
                return spans
            if time.monotonic() > deadline:
                raise AssertionError(f"the receiver never got the spans wanted; it got {[s.name for s in spans]}")
            time.sleep(0.05)
