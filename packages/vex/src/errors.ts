import { CustomsError } from '@customs/errors';

/** The document is not OpenVEX 0.2.0: not JSON, or the official schema refuses it. */
export class VexInvalidError extends CustomsError {
  constructor(source: string, problem: string) {
    super('VEX_INVALID', `the VEX document ${source} is not valid OpenVEX 0.2.0: ${problem}`, {
      hint: 'fix the document where the message points (vexctl writes valid ones) and import it again',
    });
  }
}

export class VexDocumentNotFoundError extends CustomsError {
  constructor(id: string) {
    super('VEX_DOCUMENT_NOT_FOUND', `no imported VEX document has the id ${id}`, {
      hint: 'list the imported documents with GET /v1/vex',
    });
  }
}
