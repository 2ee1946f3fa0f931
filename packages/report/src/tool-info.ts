/** Who wrote a report: every output format names its producer. The CLI and API pass their own version. */
export interface ToolInfo {
  name: string;
  version: string;
  /** Absolute URI where people learn about the tool (SARIF `informationUri`, SPDX namespace base). */
  informationUri?: string;
}
