import {
    ResourceValidationArgs,
    ResourceValidationPolicy,
    ReportViolation,
    validateResourceOfType,
} from "@pulumi/policy";
import { AlbListener, LbListener, LbListenerProps } from "../awsTypes";
import { asList, show } from "../common";
import { label } from "../labels";

interface Config {
    allowedSslPolicies: string[];
}

const DEFAULT_SSL_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
];

function check(listener: LbListenerProps, args: ResourceValidationArgs, report: ReportViolation): void {
    const what = label("Load balancer listener", args.name);
    const protocol = (listener.protocol ?? "HTTP").toUpperCase();
    if (protocol === "HTTPS" || protocol === "TLS") {
        const { allowedSslPolicies } = args.getConfig<Config>();
        if (!allowedSslPolicies.includes(listener.sslPolicy ?? "")) {
            report(
                `${what} has sslPolicy ${show(listener.sslPolicy)}; it must be one of ${allowedSslPolicies.map((p) => JSON.stringify(p)).join(", ")}.`,
            );
        }
        return;
    }
    if (protocol !== "HTTP") args.notApplicable(`protocol ${protocol} is not HTTP(S)`);
    const actions = asList(listener.defaultActions);
    const redirectsToHttps =
        actions.length > 0 &&
        actions.every((a) => a.type === "redirect" && (a.redirect?.protocol ?? "").toUpperCase() === "HTTPS");
    if (!redirectsToHttps) {
        const found = actions.map((a) =>
            a.type === "redirect" ? `redirect to ${a.redirect?.protocol ?? "the same protocol"}` : (a.type ?? "unset"),
        );
        report(
            `${what} has protocol "HTTP" with default actions [${found.join(", ")}]; it must be "HTTPS", or "HTTP" whose only action is a redirect to HTTPS.`,
        );
    }
}

export const lbListenerRequireHttps: ResourceValidationPolicy = {
    name: "lb-listener-require-https",
    description:
        "Load balancer listeners must serve HTTPS with an allowed TLS policy, with plain HTTP only as a redirect to HTTPS.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedSslPolicies: {
                type: "array",
                items: { type: "string" },
                minItems: 1,
                default: DEFAULT_SSL_POLICIES,
                description: "TLS security policies an HTTPS or TLS listener may use.",
            },
        },
    },
    validateResource: [validateResourceOfType(LbListener, check), validateResourceOfType(AlbListener, check)],
};
